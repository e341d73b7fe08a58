"""Italian text for the search index: accent folding, plain text, query terms, highlighting.

Both backends fold accents the same way: `FOLD_FROM`/`FOLD_TO` is one character map, used by
`fold()` here and by PostgreSQL's `translate()` in the generated tsvector column (cop/search/
ddl.py), so no extension (`unaccent`) is needed. SQLite's FTS5 tokenizer folds on its own
(`remove_diacritics 2`).

FTS5 has no Italian stemmer, so a query word becomes a `Term`: the Snowball stem, and what
to ask FTS5 for. A long stem is asked as a prefix (`"concili"*` finds conciliare and
conciliazione); a short one as a handful of exact forms (stem + final vowel), because a
three-letter prefix would find half the dictionary.

English loan words keep their English plural in Italian text (i caregivers, i voucher, gli
sportelli smart): the Italian stemmer leaves them alone, so a word it does not change and
that ends in a consonant is searched in both forms, with and without a final "s", on both
databases (`loan_forms`).

The Italian stemmer does not always give a word's forms one stem (familiare -> famil,
familiari -> familiar; anziano -> anzi, anziani -> anzian), and PostgreSQL indexes stems,
not words: so a word is also asked in its other final vowels (`siblings`: familiare,
familiari; anziano, anziani, anziana, anziane), one word per stem, on both databases.

Some words name the same thing (`SYNONYMS`): "asilo nido" is what everyone also calls "nido",
and "asilo" alone is said for it; a query with one finds texts with the other. A query's
phrase that a synonym names becomes one term, whose alternatives are the synonym's words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

import snowballstemmer
from markupsafe import Markup, escape

from cop import markdown  # looked up at each call: a test swaps render_markdown


def _fold_map() -> tuple[str, str]:
    """Latin-1's accented letters (what Italian, French, German and Spanish names use): a longer
    map makes PostgreSQL's translate() in the generated column slow on bulk writes."""
    source, target = [], []
    for code in range(0xC0, 0x100):
        char = chr(code)
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        if base != char and base.isascii() and base.isalpha() and marks \
                and all(unicodedata.combining(m) for m in marks):
            source.append(char)
            target.append(base)
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _fold_map()
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)
WORD = re.compile(r"[^\W_]+")
MAX_TERMS = 8
PREFIX_MIN = 5  # shorter stems are matched as exact forms, not as prefixes
VOWELS = ("a", "e", "i", "o")  # casa/case/casi/caso
ENDINGS = VOWELS + ("he", "hi")  # luogo/luoghi, banca/banche
SIBLING_ENDINGS = ("i", "e", "o", "a", "hi", "he")  # plurals first: the forms texts use

# The Snowball Italian stop words, folded.
_STOP = """
ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle
di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su
sul sullo sui sugli sull sugl sulla sulle per tra contro io tu lui lei noi voi loro mio mia
miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri
vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perché anche come dov dove che
chi cui non più quale quanto quanti quanta quante quello quelli quella quelle questo questi
questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia abbiate abbiano
avrò avrai avrà avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo
avevi aveva avevamo avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi avesse
avessimo avessero avendo avuto avuta avuti avute sono sei è siamo siete sia siate siano sarò
sarai sarà saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era
eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo
faccio fai facciamo fanno faccia facciate facciano farò farai farà faremo farete faranno farei
faresti farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate facevano feci
facesti fece facemmo faceste fecero facessi facesse facessimo facessero facendo sto stai sta
stiamo stanno stia stiate stiano starò starai starà staremo starete staranno starei staresti
starebbe staremmo stareste starebbero stavo stavi stava stavamo stavate stavano stetti stesti
stette stemmo steste stettero stessi stesse stessimo stessero stando
"""


# A query's words (their stems, so any of their forms: "asili nido") -> the words of a text
# that answer them, any of them (each searched in all its forms, as any query word).
SYNONYMS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("asil", "nid"): ("nido",),  # every asilo nido is a nido; «i nidi» are asili nido
    ("asil",): ("asilo", "nido"),  # «gli asili» of a working parent are nidi too
}
SYNONYM_WORDS = max(len(key) for key in SYNONYMS)


def fold(text: str) -> str:
    """Lower case without accents: «Città» -> «citta»."""
    return unicodedata.normalize("NFC", text).translate(_FOLD).lower()


STOP_WORDS = frozenset(fold(_STOP).split())
_stemmer = snowballstemmer.stemmer("italian")


@lru_cache(maxsize=20000)
def stem(folded_word: str) -> str:
    return _stemmer.stemWord(folded_word)


# --- plain text -----------------------------------------------------------------------------

_BLOCKS = {"p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "tr", "td", "th", "dd", "dt", "hr", "div", "table"}


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quoting = 0

    def handle_starttag(self, tag, attrs):
        self.quoting += tag == "blockquote"
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.quoting = max(0, self.quoting - (tag == "blockquote"))
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.quoting:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The words of an HTML fragment (rendered Markdown), paragraphs on their own lines.
    Quotations are left out: the quoted words are indexed where they were written."""
    parser = _TextOf()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def markdown_text(source: str) -> str:
    """Markdown source to plain text, for documents that keep only their source."""
    return plain_text(markdown.render_markdown(source))


# --- query terms --------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    word: str  # folded (a loan word without its English plural "s")
    stem: str
    prefix: str  # "" when the stem is too short to be a prefix
    forms: frozenset[str]  # exact forms, when there is no prefix
    variants: tuple[str, ...] = ()  # a loan word's singular and plural, for PostgreSQL
    siblings: tuple[str, ...] = ()  # the word with its other final vowels, one per stem
    synonyms: tuple[Term, ...] = ()  # other words that answer the query as well

    @property
    def alternatives(self) -> tuple[Term, ...]:
        """This term and its synonyms: a text with any of them matches."""
        return (self, *self.synonyms)

    def matches(self, token: str) -> bool:
        """Whether a folded word of a text is what this term found (for highlighting)."""
        return any(term._matches(token) for term in self.alternatives)

    def _matches(self, token: str) -> bool:
        if self.prefix:
            if token.startswith(self.prefix) or token in self.siblings:
                return True
        elif token in self.forms:
            return True
        return token[:3] == self.stem[:3] and stem(token) == self.stem

    def _fts5(self) -> str:
        if self.prefix:
            others = [f'"{w}"' for w in self.siblings if not w.startswith(self.prefix)]
            return " OR ".join([f'"{self.prefix}"*', *others])
        return " OR ".join(f'"{form}"' for form in sorted(self.forms))

    def fts5(self) -> str:
        parts = [term._fts5() for term in self.alternatives]
        if len(parts) == 1 and self.prefix and " OR " not in parts[0]:
            return parts[0]
        return "(" + " OR ".join(parts) + ")"

    def words(self) -> list[str]:
        """The words PostgreSQL is asked for (it stems each): any of them matches."""
        found: list[str] = []
        for term in self.alternatives:
            for word in (term.variants or (term.word,)) + term.siblings:
                if word not in found:
                    found.append(word)
        return found


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


LOAN_MIN = 4  # shorter words keep their "s" (bus, gas)


def loan_forms(word: str) -> tuple[str, ...]:
    """A loan word's singular and English plural (caregiver, caregivers), whichever was typed;
    () for a word the Italian stemmer changes (an Italian word) or that is not a loan word."""
    if not word.isalpha() or word.endswith("ss") or stem(word) != word:  # stress, business
        return ()
    base = word[:-1] if word.endswith("s") else word
    if len(base) < LOAN_MIN or base[-1] in "aeiouy" or stem(base) != base:
        return ()
    return base, base + "s"


def siblings(word: str) -> tuple[str, ...]:
    """The word with its other final vowels (familiare: familiari; banca: banche), one word per
    stem other than the word's own: () for a short word or one that does not end in a vowel."""
    if len(word) < LOAN_MIN or word[-1] not in VOWELS or not word.isalpha():
        return ()
    base = word[:-1]
    seen, found = {stem(word)}, []
    for ending in SIBLING_ENDINGS if base.endswith(("c", "g")) else SIBLING_ENDINGS[:4]:
        form = base + ending
        form_stem = stem(form)
        if form_stem not in seen:
            seen.add(form_stem)
            found.append(form)
    return tuple(found)


def _term(word: str, synonyms: tuple[Term, ...] = ()) -> Term:
    """A folded query word: what each database is asked for it."""
    variants = loan_forms(word)
    if variants:
        word = variants[0]
    word_stem = stem(word)
    others = siblings(word)
    # Snowball sometimes rewrites an ending (conoscenza -> conoscent): keep what both share.
    prefix = _common_prefix(word, word_stem)
    if len(prefix) >= PREFIX_MIN:
        return Term(word, word_stem, prefix, frozenset(), variants, others, synonyms)
    endings = ENDINGS if word_stem.endswith(("c", "g")) else VOWELS
    forms = {word, word_stem, *(word_stem + ending for ending in endings), *variants, *others}
    return Term(word, word_stem, "", frozenset(forms), variants, others, synonyms)


@lru_cache(maxsize=64)
def _synonym(key: tuple[str, ...]) -> Term:
    first, *others = SYNONYMS[key]
    return _term(first, tuple(_term(word) for word in others))


class Found(list):
    """The terms of a query (a list of `Term`), remembering which words of the page's texts
    they mark: a results page highlights its twenty snippets with the same few hundred words,
    each of which would otherwise be folded and stemmed again."""

    def __init__(self, found=()):
        super().__init__(found)
        self._marks: dict[str, bool] = {}

    def marks(self, token: str) -> bool:
        hit = self._marks.get(token)
        if hit is None:
            hit = self._marks[token] = _is_hit(token, self)
        return hit


def terms(text: str) -> Found:
    """The words of a query worth searching: folded, without stop words, at most MAX_TERMS;
    a phrase with synonyms (`SYNONYMS`) is one term."""
    words = [word for word in WORD.findall(fold(text or ""))
             if word not in STOP_WORDS and (len(word) >= 2 or word.isdigit())]
    found: list[Term] = []
    at = 0
    while at < len(words) and len(found) < MAX_TERMS:
        term = None
        for size in range(min(SYNONYM_WORDS, len(words) - at), 0, -1):
            key = tuple(stem(word) for word in words[at:at + size])
            if key in SYNONYMS:
                term, at = _synonym(key), at + size
                break
        if term is None:
            term, at = _term(words[at]), at + 1
        if not any(t.word == term.word and t.synonyms == term.synonyms for t in found):
            found.append(term)
    return Found(found)


def fts5_query(found: list[Term], doc_type: str | None = None) -> str:
    """The words in the title or body (all required), of one type of document if given."""
    words = "{title body} : (" + " AND ".join(t.fts5() for t in found) + ")"
    return f'doc_type : "{doc_type}" AND {words}' if doc_type else words


def tsquery(found: list[Term]) -> str:
    """For PostgreSQL's to_tsquery('italian', ...): the folded words, all required (each in
    any of its forms and synonyms, `Term.words`)."""
    def one(term: Term) -> str:
        words = [f"'{word}'" for word in term.words()]
        return words[0] if len(words) == 1 else "(" + " | ".join(words) + ")"

    return " & ".join(one(t) for t in found)


# --- highlighting ------------------------------------------------------------------------

def _is_hit(token: str, found: list[Term]) -> bool:
    folded = token.translate(_FOLD).lower()  # stored text is already NFC
    return any(t.matches(folded) for t in found)


def _marker(found: list[Term]):
    return found.marks if isinstance(found, Found) else lambda token: _is_hit(token, found)


def _marked(text: str, found: list[Term]) -> Markup:
    out, last = [], 0
    marks = _marker(found)
    for match in WORD.finditer(text):
        if marks(match.group()):
            out.append(escape(text[last:match.start()]))
            out.append(Markup("<mark>%s</mark>") % match.group())
            last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def highlight(text: str, found: list[Term]) -> Markup:
    """The whole (short) text, escaped, with the found words in <mark>: for titles."""
    return _marked(" ".join((text or "").split()), found)


_SENTENCE_END = tuple(".,;:!?…»)\"'")


def _one_line(text: str) -> str:
    """The text on one line; where a line ended with no punctuation (a field, a list item, a
    title) a middle dot keeps it apart from the next: «…aziendale · Collegamento…»."""
    out = ""
    for line in (" ".join(raw.split()) for raw in (text or "").splitlines()):
        if line:
            out += (" " if out.endswith(_SENTENCE_END) else " · ") + line if out else line
    return out


def snippet(text: str, found: list[Term], words: int = 30) -> Markup:
    """About `words` words around the first found word, escaped, found words in <mark>."""
    text = _one_line(text)
    tokens = list(WORD.finditer(text))
    if not tokens:
        return escape(text[:200])
    marks = _marker(found)
    first = next((i for i, m in enumerate(tokens) if marks(m.group())), 0)
    start = max(0, min(first - words // 4, len(tokens) - words))
    end = min(len(tokens), start + words)
    begin = tokens[start].start() if start > 0 else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(text)
    html = _marked(text[begin:finish], found)
    if start > 0:
        html = Markup("… ") + html
    if end < len(tokens):
        html = html + Markup(" …")
    return html
