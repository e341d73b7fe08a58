"""Italian words: accents do not count, words of one family find each other, stop words go."""
from __future__ import annotations

import pytest

from cop.search.text import fold, highlight, plain_text, snippet, terms


def test_fold_removes_accents_and_case():
    assert fold("Città PERCHÉ Niccolò") == "citta perche niccolo"


def test_stop_words_are_dropped():
    assert [t.word for t in terms("la conciliazione e il lavoro delle donne")] == [
        "conciliazione", "lavoro", "donne"]
    assert terms("il la di che") == []


@pytest.mark.parametrize("query, text", [
    ("città", "citta"),
    ("citta", "città"),
    ("conciliazione", "conciliare"),
    ("conciliare", "conciliazione"),
    ("lavoratrici", "lavoratore"),
    ("famiglie", "famiglia"),
    ("conoscenza", "conoscenze"),
    ("casa", "case"),
])
def test_a_word_finds_its_family(query, text):
    assert any(t.matches(fold(text)) for t in terms(query))


def test_short_stems_do_not_match_everything():
    (term,) = terms("casa")
    assert not term.matches("castello")
    assert term.fts5() == '("cas" OR "casa" OR "case" OR "casi" OR "caso")'


def test_plain_text_from_html_keeps_paragraphs_apart():
    html = "<p>Primo <strong>paragrafo</strong></p><ul><li>uno</li><li>due &amp; tre</li></ul>"
    assert plain_text(html) == "Primo paragrafo\nuno\ndue & tre"


def test_plain_text_leaves_quotations_out():
    html = ("<blockquote><p>Anna ha scritto:</p><blockquote><p>vecchio</p></blockquote>"
            "</blockquote><p>Sono d'accordo.</p>")
    assert plain_text(html) == "Sono d'accordo."


def test_highlight_escapes_everything_but_the_marks():
    found = terms("conciliazione")
    html = str(snippet('Codice <b onclick="x">conciliazione</b> & "altro"', found))
    assert html == ("Codice &lt;b onclick=&#34;x&#34;&gt;<mark>conciliazione</mark>&lt;/b&gt; "
                    "&amp; &#34;altro&#34;")
    assert str(highlight("<i>Conciliare</i>", found)) == (
        "&lt;i&gt;<mark>Conciliare</mark>&lt;/i&gt;")


def test_snippet_is_about_thirty_words_around_the_first_match():
    words = [f"parola{i}" for i in range(100)]
    words[60] = "conciliazione"
    html = str(snippet(" ".join(words), terms("conciliazione")))
    assert html.startswith("… parola53 ") and html.endswith(" …")
    assert "<mark>conciliazione</mark>" in html
    assert len(html.split()) == 32  # 30 words and the two ellipses


def test_snippet_without_a_match_in_the_body_starts_at_the_beginning():
    html = str(snippet("Uno due tre", terms("conciliazione")))
    assert html == "Uno due tre"


def test_a_snippet_keeps_fields_and_lines_apart():
    """Fields and list items are stored one per line: flattened, they would run together."""
    body = "Un nido aziendale\nCollegamento con il territorio.\nOrari flessibili, anche"
    html = str(snippet(body, terms("nido")))
    assert "aziendale · Collegamento con il territorio. Orari flessibili, anche" in html


def test_the_found_terms_mark_a_page_of_snippets_as_each_word_alone_would():
    """`terms` remembers which words it marked (a results page has twenty snippets with the
    same words): the marks are those of the terms asked one word at a time."""
    found = terms("famiglie conciliazione")
    texts = ["Le famiglie e la conciliazione: famiglia, Famiglie, conciliare, casa.",
             "La conciliazione delle famiglie", "Nessuna parola cercata qui."]
    for text in texts * 2:  # the second time from what it remembers
        assert str(snippet(text, found)) == str(snippet(text, list(found)))
        assert str(highlight(text, found)) == str(highlight(text, list(found)))
    assert str(highlight(texts[0], found)).count("<mark>") == 5
