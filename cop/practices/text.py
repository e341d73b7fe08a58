"""Text helpers of the library: the keywords that find similar practices, and readable diffs."""
from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

from cop.search.text import STOP_WORDS, WORD, fold, stem

MIN_WORD = 4  # shorter words say little about what a practice does
MAX_KEYWORDS = 60


def keywords_of(*texts: str) -> set[str]:
    """The stems of the meaningful words of `texts`: what «close text» compares."""
    found: set[str] = set()
    for text in texts:
        for word in WORD.findall(fold(text or "")):
            if len(word) >= MIN_WORD and word not in STOP_WORDS and not word.isdigit():
                found.add(stem(word))
                if len(found) >= MAX_KEYWORDS:
                    return found
    return found


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of two stored keyword lists (space separated)."""
    left, right = set(a.split()), set(b.split())
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> Markup:
    """`new` against `old`, word by word: removed words in <del>, added ones in <ins>; escaped."""
    before, after = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    out = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            out.append(Markup("<del>%s</del>") % "".join(before[a1:a2]))
        if b2 > b1:
            out.append(Markup("<ins>%s</ins>") % "".join(after[b1:b2]))
    return Markup("").join(out)
