"""User text: Markdown rendered once, at write time, into HTML with nothing executable in it.

Every payload below is rendered and the output parsed back (stdlib html.parser): only
allow-listed tags and attributes may survive, no event handler, and every link goes to
http(s), mailto, or stays on the site.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cop.auth.models import User
from cop.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown
from cop.spaces.models import Space

LINK_REL = "noopener noreferrer nofollow ugc"
SAFE_SCHEMES = {"http", "https", "mailto"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "background",
                  "poster", "data", "codebase", "cite", "ping"}

# (id, payload): at least 30 distinct ways of trying to get script into a page.
XSS_PAYLOADS = [
    ("script-tag", "<script>alert(1)</script>"),
    ("script-tag-with-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    ("img-onerror", '<img src="x" onerror="alert(1)">'),
    ("img-onerror-unquoted-broken", "<img src=x onerror=alert(1)//"),
    ("img-onerror-in-markdown-paragraph", "Testo *normale* <img src=x onerror=alert(1)> e altro."),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink-href", '<svg><a xlink:href="javascript:alert(1)">'
                       '<text x="0" y="20">x</text></a></svg>'),
    ("svg-animate-href", '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
                         '<text x="20" y="20">x</text></a></svg>'),
    ("html-link-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("html-link-leading-spaces", '<a href="  javascript:alert(1)">x</a>'),
    ("html-link-control-char", '<a href="&#x01;javascript:alert(1)">x</a>'),
    ("html-link-newline-inside", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("html-link-onclick", '<a href="https://esempio.it" onclick="alert(1)">x</a>'),
    ("html-link-onmouseover-nested-quotes",
     '<a href="https://esempio.it" title=\'a"b\' onmouseover="alert(\'x\')">x</a>'),
    ("html-link-attribute-breakout", '<a href="https://esempio.it/" x=">" onclick=alert(1)>x</a>'),
    ("md-link-javascript", "[x](javascript:alert(1))"),
    ("md-link-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("md-link-tab-entity", "[x](java&#x09;script:alert(1))"),
    ("md-link-entity-encoded",
     "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))"),
    ("md-link-hex-entity-colon", "[x](javascript&#x3A;alert(1))"),
    ("md-link-percent-encoded", "[x](javascript%3Aalert(1))"),
    ("md-link-angle-brackets", "[x](<javascript:alert(1)>)"),
    ("md-reference-link", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("md-image-javascript", "![x](javascript:alert(1))"),
    ("md-image-onerror-title", '![x](https://esempio.it/a.png "a\\" onerror=\\"alert(1))'),
    ("autolink-javascript", "<javascript:alert(1)>"),
    ("vbscript-link", '[x](vbscript:msgbox("x"))'),
    ("vbscript-html", '<a href="vbscript:msgbox(1)">x</a>'),
    ("data-link-markdown", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data-link-html", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    ("iframe", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("embed", '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("math-mutation", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("math-href", '<math href="javascript:alert(1)">CLICK</math>'),
    ("style-element", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style-attribute-expression", '<p style="width: expression(alert(1))">x</p>'),
    ("style-attribute-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("form-action", '<form action="javascript:alert(1)"><input type="submit"></form>'),
    ("button-formaction", "<form><button formaction=javascript:alert(1)>x</button></form>"),
    ("input-autofocus-onfocus", "<input autofocus onfocus=alert(1)>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("body-onload", "<body onload=alert(1)>"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("link-import", '<link rel="import" href="https://evil.example/x.html">'),
    ("html-comment-hiding-tag", "<!-- --><img src=x onerror=alert(1)><!-- -->"),
    ("html-comment-with-tag-inside", "<!-- <img src=x onerror=alert(1)> -->"),
    ("nested-script-split", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("unicode-escape-href", '<a href="\\u006aavascript:alert(1)">x</a>'),
    ("unicode-fullwidth-lt", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    ("unclosed-tags", '<div><a href="javascript:alert(1)"><p>testo'),
    ("inline-code-is-not-html", "`<script>alert(1)</script>` e <b onclick=alert(1)>grassetto</b>"),
    ("table-cell-handler", '| a |\n|---|\n| <td onmouseover="alert(1)">x</td> |'),
    ("heading-with-handler", '<h1 onclick="alert(1)">Titolo</h1>'),
    ("abbr-title-breakout", '*[HTML]: "><script>alert(1)</script>\n\nHTML'),
    ("noscript-mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("template-element", "<template><script>alert(1)</script></template>"),
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(f"comment: {data}")

    def handle_decl(self, decl):
        self.other.append(f"declaration: {decl}")

    def handle_pi(self, data):
        self.other.append(f"processing instruction: {data}")

    def unknown_decl(self, data):
        self.other.append(f"unknown declaration: {data}")


def _parse(html: str) -> _Collector:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser


def _normalise_url(value: str) -> str:
    """What a browser would see as the scheme: control characters and whitespace dropped."""
    return "".join(ch for ch in value if ord(ch) > 0x20 and ord(ch) != 0x7F).lower()


def _url_problem(value: str) -> str | None:
    url = _normalise_url(value)
    match = re.match(r"^([a-z][a-z0-9+.\-]*):", url)
    if match and match.group(1) not in SAFE_SCHEMES:
        return f"scheme {match.group(1)!r}"
    return None


def assert_nothing_executable(html: str) -> None:
    parsed = _parse(html)
    assert not parsed.other, parsed.other
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, f"tag <{tag}> is not allowed: {html!r}"
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, set())) | ({"rel"} if tag == "a" else set())
        for name, value in attrs:
            value = value or ""
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name in allowed, f"attribute {name} not allowed on <{tag}>: {html!r}"
            lowered = _normalise_url(value)
            for scheme in BAD_SCHEMES:
                assert scheme not in lowered, f"{scheme} in {name}={value!r}: {html!r}"
            if name in URL_ATTRIBUTES:
                problem = _url_problem(value)
                assert problem is None, f"{problem} in {name}={value!r}: {html!r}"
            if tag == "a" and name == "rel":
                assert value == LINK_REL
    # The text that is left is escaped: no raw markup can start anywhere.
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", [p for _, p in XSS_PAYLOADS], ids=[i for i, _ in XSS_PAYLOADS])
def test_payload_renders_to_nothing_executable(payload):
    assert_nothing_executable(render_markdown(payload))


def test_there_are_at_least_thirty_distinct_payloads():
    ids = [i for i, _ in XSS_PAYLOADS]
    payloads = [p for _, p in XSS_PAYLOADS]
    assert len(set(ids)) == len(ids) and len(set(payloads)) == len(payloads)
    assert len(payloads) >= 30


def test_the_checker_itself_catches_executable_html():
    """Guards the guard: the assertions above would notice a payload that got through."""
    for html in ['<p onclick="x">a</p>', '<a href=" JaVa\tScript:alert(1)">x</a>', "<img src=x>",
                 '<a href="data:text/html,x">x</a>', "<!-- x -->", '<p style="color:red">x</p>']:
        with pytest.raises(AssertionError):
            assert_nothing_executable(html)


# What people actually write: it must come out as expected.

def test_emphasis_and_paragraphs():
    html = render_markdown("Un testo con *corsivo*, e **grassetto**.\n\nSecondo paragrafo.")
    assert "<em>corsivo</em>" in html and "<strong>grassetto</strong>" in html
    assert html.count("<p>") == 2


def test_lists():
    html = render_markdown("Punti:\n\n- primo\n- secondo\n\n1. uno\n2. due")
    assert "<ul>\n<li>primo</li>\n<li>secondo</li>\n</ul>" in html
    assert "<ol>\n<li>uno</li>\n<li>due</li>\n</ol>" in html


def test_tables_keep_their_alignment():
    html = render_markdown("| Servizio | Posti |\n|:---|---:|\n| Nido | 12 |")
    parsed = _parse(html)
    tags = [tag for tag, _ in parsed.tags]
    for tag in ("table", "thead", "tbody", "tr", "th", "td"):
        assert tag in tags
    assert '<th align="left">Servizio</th>' in html
    assert '<td align="right">12</td>' in html
    assert_nothing_executable(html)


def test_code_blocks_are_escaped_text():
    html = render_markdown("```python\nif a < b and c > d:\n    print('<script>')\n```\n\n"
                           "E `x <y>` in riga.")
    assert "<pre><code>" in html
    assert "if a &lt; b and c &gt; d:" in html
    assert "&lt;script&gt;" in html
    assert "<code>x &lt;y&gt;</code>" in html
    assert_nothing_executable(html)


def test_links_are_marked_as_user_content():
    html = render_markdown("Vedi [il sito](https://www.regione.lombardia.it \"Regione\"), "
                           "<https://esempio.it> e [scrivici](mailto:info@esempio.it).")
    assert ('<a href="https://www.regione.lombardia.it" title="Regione" '
            f'rel="{LINK_REL}">il sito</a>') in html
    assert f'<a href="https://esempio.it" rel="{LINK_REL}">https://esempio.it</a>' in html
    assert f'<a href="mailto:info@esempio.it" rel="{LINK_REL}">scrivici</a>' in html


def test_relative_links_and_fragments_are_kept():
    html = render_markdown("[spazi](/spazi) e [sopra](#inizio)")
    assert 'href="/spazi"' in html and 'href="#inizio"' in html


def test_headings_start_at_h2():
    html = render_markdown("# Titolo\n\n## Sezione\n\n### Sottosezione\n\n<h1>Grezzo</h1>")
    assert "<h1" not in html
    assert "<h2>Titolo</h2>" in html and "<h2>Sezione</h2>" in html
    assert "<h3>Sottosezione</h3>" in html
    assert "Grezzo" in html


def test_line_breaks_are_kept():
    assert render_markdown("riga uno\nriga due") == "<p>riga uno<br>\nriga due</p>"


def test_italian_accents_and_quotes_survive():
    text = "Perché è così difficile? Più età, più «qualità»: l'àncora dell'Università — però sì."
    html = render_markdown(text)
    assert html == f"<p>{text}</p>"


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", None],
                         ids=["empty", "spaces", "blank-lines", "none"])
def test_empty_input_gives_empty_html(text):
    assert render_markdown(text) == ""


# Written once, sanitised at write time: the stored HTML and the page carry no payload.

STORED_PAYLOAD = (
    "Descrizione *vera*.\n\n"
    '<script>alert("spazio")</script>\n\n'
    '<img src="x" onerror="alert(1)">\n\n'
    "[clicca](javascript:alert(2))\n\n"
    '<a href="https://esempio.it" onclick="alert(3)">sito</a>'
)


def _assert_page_is_clean(page: str) -> None:
    lowered = page.lower()
    assert "onerror" not in lowered
    assert "onclick" not in lowered
    assert "<script>alert" not in lowered
    assert "javascript:" not in lowered
    assert 'alert("spazio")' not in page


def test_space_description_is_stored_sanitised(client, world, factory):
    client.login(world.coordinator.email)
    response = client.post(f"/spazi/{world.reserved.slug}/modifica", {
        "name": world.reserved.name, "description": STORED_PAYLOAD, "visibility": "riservato"})
    assert response.status_code == 302

    space = factory.get(Space, world.reserved.id)
    assert space.description == STORED_PAYLOAD  # the source is kept for editing
    assert_nothing_executable(space.description_html)
    assert "<em>vera</em>" in space.description_html
    assert f'<a href="https://esempio.it" rel="{LINK_REL}">sito</a>' in space.description_html

    page = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "<em>vera</em>" in page
    _assert_page_is_clean(page)


def test_profile_bio_is_stored_sanitised(client, world, factory):
    client.login(world.member.email)
    response = client.post("/profilo", {"name": "Membro Alleanza", "job_title": "Operatrice",
                                        "bio": STORED_PAYLOAD, "locale": "it"})
    assert response.status_code == 302

    person = factory.get(User, world.member.id)
    assert person.bio == STORED_PAYLOAD
    assert_nothing_executable(person.bio_html)
    assert "<em>vera</em>" in person.bio_html

    page = client.get(f"/persone/{world.member.id}").get_data(as_text=True)
    assert "<em>vera</em>" in page
    _assert_page_is_clean(page)


# --- lists right after a line of text (as CommonMark, GitHub and Discourse read them) ---------

@pytest.mark.parametrize("text, tag", [
    ("Ecco cosa serve:\n- una sala\n- un orario", "ul"),
    ("Ecco cosa serve:\n* una sala\n* un orario", "ul"),
    ("Ecco cosa serve:\n+ una sala\n+ un orario", "ul"),
    ("I passi:\n1. la richiesta\n2. il colloquio", "ol"),
])
def test_a_list_may_start_right_after_a_line_of_text(text, tag):
    html = render_markdown(text)
    assert html.startswith("<p>")
    assert f"<{tag}>\n<li>" in html and "- una" not in html and "1. la" not in html
    assert html.count("<li>") == 2


@pytest.mark.parametrize("text", [
    "Nel\n2020. Un anno difficile",  # only "1." starts a list after text, as in CommonMark
    "Titolo\n---",  # a setext heading
    "Testo\n- - -\naltro",  # a rule
    "```\ntesto\n- non una lista\n```",
    "    codice\n    - non una lista",
    "- a\n- b\ncontinua\n- c",  # a list's lazy line stays in the item
    "Riga *con enfasi*\n*non* una lista",
])
def test_otherwise_the_text_renders_as_before(text):
    from cop import markdown as md
    plain = [e for e in md.EXTENSIONS if not isinstance(e, md.ListsAfterTextExtension)]
    before = md._markdown.markdown(text, extensions=plain,
                                   extension_configs=md.EXTENSION_CONFIGS, output_format="html")
    assert md.to_html(text, bounded=False) == before


def test_the_ordinary_text_renders_as_before():
    from cop import markdown as md
    from tests.core.test_markdown_cost import ORDINARY
    plain = [e for e in md.EXTENSIONS if not isinstance(e, md.ListsAfterTextExtension)]
    before = md._markdown.markdown(ORDINARY, extensions=plain,
                                   extension_configs=md.EXTENSION_CONFIGS, output_format="html")
    assert md.to_html(ORDINARY) == before


# --- lists inside quotes ----------------------------------------------------------------------

@pytest.mark.parametrize("text, items, tag", [
    ("> - uno\n> - due", 2, "ul"),
    ("> Ecco cosa serve:\n> - una sala\n> - un orario", 2, "ul"),
    (">Ecco cosa serve:\n>- una sala\n>- un orario", 2, "ul"),
    ("> I passi:\n> 1. la richiesta\n> 2. il colloquio", 2, "ol"),
    ("> Una citazione\n>\n> > Ecco:\n> > * uno\n> > * due\n> > * tre", 3, "ul"),
])
def test_a_list_in_a_quote_stays_in_the_quote(text, items, tag):
    html = render_markdown(text)
    inside = html[html.rindex("<blockquote>"):html.index("</blockquote>")]
    assert f"<{tag}>" in inside and inside.count("<li>") == items
    assert "- un" not in html and "* uno" not in html and "1. la" not in html
    assert html.count("<li>") == items


def test_a_list_after_a_quote_follows_it():
    """As CommonMark reads it: a list item without the quote's marker ends the quote."""
    html = render_markdown("> Ecco cosa serve:\n- una sala\n- un orario")
    assert html.index("</blockquote>") < html.index("<ul>")
    assert html.count("<li>") == 2


@pytest.mark.parametrize("text", [
    "> Nel\n> 2020. Un anno difficile",
    "> Testo\n> - - -\n> altro",
    "> Una riga\n>     - codice rientrato",
    "> - a\n> - b\n> continua\n> - c",
])
def test_otherwise_a_quote_renders_as_before(text):
    test_otherwise_the_text_renders_as_before(text)
