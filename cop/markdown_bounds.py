"""Python-Markdown, kept linear on hostile text: the BoundedExtension used by cop.markdown.

Python-Markdown (3.11) does work proportional to the rest of the text for each of many
constructs, so some texts of 20,000 characters took seconds, up to minutes. Each cause is
handled where it is, by measurement (tests/core/test_markdown_cost.py):

- exactly, where a result can be reused: closing brackets of links, searches that found
  nothing in a block or after a position;
- by a budget proportional to the length of the text, where Python-Markdown's own
  algorithm is at fault (scans that find nothing, a text rebuilt after each inline match,
  a block consumed a line at a time). Ordinary text stays far below the budgets and renders
  exactly as without this extension; past a budget, the constructs left are plain text.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import inlinepatterns
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.abbr import AbbrTreeprocessor
from markdown.htmlparser import HTMLExtractor, htmlparser, inner_blank_line_re
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor
from markdown.util import AtomicString

# Characters of work allowed per character of text, by kind of work (see the classes below).
SCAN_FACTOR = 8  # scans that may find nothing: a Python loop or a regular expression
INLINE_FACTOR = 2000  # copies of a text node, one per inline element found in it
BLOCK_FACTOR = 100  # rests of a block put back and tested again
FLOOR = 10_000
CHUNK_LINES = 20
MAX_DEPTH = 64  # nested calls of the block parser: a level of quote or list is one or two
MAX_OPEN_TAGS = 100  # unclosed raw inline tags tracked in a paragraph
MAX_DELIMITERS = 2000  # `*` and `_` in one text node that emphasis is looked for in
_BRACKET = re.compile(r"[\[\]]")
_GT = re.compile(">")


class _Budget:
    def __init__(self, factor: int):
        self.factor = factor
        self.left = FLOOR


class _SetBudgets(Preprocessor):
    """Sizes the budgets for this text; runs before any other preprocessor."""

    def __init__(self, md, budgets):
        super().__init__(md)
        self.budgets = budgets

    def run(self, lines):
        size = sum(len(line) + 1 for line in lines)
        for budget in self.budgets:
            budget.left = budget.factor * size + FLOOR
        return lines


class _After:
    """The first match of a pattern at or after a position that only moves forward."""

    def __init__(self, regex):
        self.regex = regex
        self.text, self.pos, self.match = None, 0, None

    def search(self, text: str, pos: int):
        if self.text is not text or pos < self.pos or (self.match and self.match.start() < pos):
            self.text, self.pos, self.match = text, pos, self.regex.search(text, pos)
        return self.match


# --- links ------------------------------------------------------------------------------

def _closing_brackets(data: str) -> dict[int, int]:
    """For the index after each `[`, the index after the `]` that closes it (if any)."""
    ends, opened = {}, []
    for match in _BRACKET.finditer(data):
        if match.group() == "[":
            opened.append(match.end())
        elif opened:
            ends[opened.pop()] = match.end()
    return ends


class _Links:
    """`getText` and `getLink` of the link processors, without a scan of the text per link.

    Python-Markdown finds the closing brackets once per `data` string, but each link found
    is replaced by a placeholder, so the next call gets a new string and scans it all again.
    Where a bracket closes depends only on what follows it, and only what precedes is
    replaced: the brackets found stay valid for a text that ends the same way.
    `getLink` scans from `(` to the end of the text when the parenthesis does not close.
    """

    budget: _Budget
    _brackets: str | None = None  # the text the closing brackets were found in
    _ends: dict[int, int]

    def getText(self, data, index):
        if data[index - 1:index] != "[":
            return super().getText(data, index)
        known = self._brackets
        if known is not data and (known is None or not known.endswith(data[index - 1:])):
            self._brackets, self._ends, known = data, _closing_brackets(data), data
        shift = len(known) - len(data)
        end = self._ends.get(index + shift)
        if end is None:  # the callers ignore the text then; copying the rest is quadratic
            return "", len(data), False
        return data[index:end - shift - 1], end - shift, True

    def getLink(self, data, index):
        if not data.startswith("(", index):
            return super().getLink(data, index)
        stop = index + max(self.budget.left, 0)
        href, title, end, handled = super().getLink(data[:stop], index)
        if not handled:
            self.budget.left -= min(stop, len(data)) - index
        return href, title, end, handled


# name: (class, priority), as in markdown.inlinepatterns.build_inlinepatterns
LINK_PROCESSORS = {
    name: (type(cls.__name__, (_Links, cls), {}), priority) for name, cls, priority in [
        ("reference", inlinepatterns.ReferenceInlineProcessor, 170),
        ("link", inlinepatterns.LinkInlineProcessor, 160),
        ("image_link", inlinepatterns.ImageInlineProcessor, 150),
        ("image_reference", inlinepatterns.ImageReferenceInlineProcessor, 140),
        ("short_reference", inlinepatterns.ShortReferenceInlineProcessor, 130),
        ("short_image_ref", inlinepatterns.ShortImageReferenceInlineProcessor, 125),
    ]
}


# --- inline elements --------------------------------------------------------------------

def _charged(pattern, budget: _Budget):
    """`handleMatch` of an inline pattern, refused once the budget is spent.

    For each element found, Python-Markdown copies the whole text node with a placeholder
    in its place, and places the node's elements by searching the list of its children:
    work proportional to the node for each element in it.
    """
    handle = pattern.handleMatch
    delimiters = isinstance(pattern, inlinepatterns.DelimiterProcessor)
    last = [None, False]  # the last text and whether it has too many delimiters

    def handle_match(match, data):
        if delimiters:
            # Emphasis is paired over the whole text at its first match, then returned one
            # element at a time, so it is looked for in a whole text or not at all.
            if last[0] is not data:
                last[:] = data, data.count("*") + data.count("_") > MAX_DELIMITERS
            if last[1]:
                return None, None, None
        elif budget.left < 0:
            return None, None, None
        node, start, end = handle(match, data)
        if node is not None and start is not None:
            budget.left -= len(data)
        return node, start, end

    return handle_match


class _Abbreviations(AbbrTreeprocessor):
    """The abbreviation tree processor, with the index of each child passed down rather
    than searched for in its parent's list of children."""

    def iter_element(self, el, parent=None, index=0):
        for i in reversed(range(len(el))):
            self.iter_element(el[i], el, i)
        if (text := el.text) and not isinstance(text, AtomicString):
            for m in reversed(list(self.RE.finditer(text))):
                if self.abbrs[m.group(0)]:
                    el.insert(0, self.create_element(self.abbrs[m.group(0)], m.group(0),
                                                     text[m.end():]))
                    text = text[:m.start()]
            el.text = text
        if parent is not None and (tail := el.tail) and not isinstance(tail, AtomicString):
            for m in reversed(list(self.RE.finditer(tail))):
                if self.abbrs[m.group(0)]:
                    parent.insert(index + 1, self.create_element(
                        self.abbrs[m.group(0)], m.group(0), tail[m.end():]))
                    tail = tail[:m.start()]
            el.tail = tail


# --- blocks -----------------------------------------------------------------------------

class _Searched:
    """A block processor's regular expression that remembers blocks it found nothing in.

    A processor searches the whole block for its line; when another one takes a line and
    puts the rest back, the rest is searched again. These patterns look forward from a line
    start, so a block that ends one searched in vain, from a line start, has nothing either.
    """

    def __init__(self, regex):
        self.regex = regex
        self.empty: list[str] = []

    def search(self, block, *args, **kwargs):
        if args or kwargs:
            return self.regex.search(block, *args, **kwargs)
        size = len(block)
        for seen in self.empty:
            if size <= len(seen) and seen.endswith(block) and (
                    size == len(seen) or seen[-size - 1] == "\n"):
                return None
        match = self.regex.search(block)
        if match is None:
            self.empty = [block, *self.empty[:1]]  # a block and the one around it
        return match

    def __getattr__(self, name):
        return getattr(self.regex, name)


SEARCHED = {"hashheader": "RE", "hr": "SEARCH_RE", "deflist": "RE", "quote": "RE", "abbr": "RE",
            "reference": "RE"}


class _BlockParser(BlockParser):
    """The block parser, bounded when a block is consumed a few lines at a time.

    A heading, a rule, a definition or an abbreviation takes its lines off a block and puts
    the rest back, to be tested again by every processor. Past the budget, what is put back
    is cut into blocks of CHUNK_LINES lines, as if blank lines separated them. Each level of
    nesting (`> > >`, `- - -`) parses its whole content again: past MAX_DEPTH, it is text.
    Blocks are handed to the processors one at a time, since they take the first block off
    the list and put rests back in front (an insertion at the head of a long list each).
    """

    budget: _Budget
    depth = 0

    def parseBlocks(self, parent, blocks):
        pending = blocks[::-1]  # the next block last
        blocks.clear()
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                etree.SubElement(parent, "p").text = "\n\n".join(reversed(pending))
                return
            while pending:
                current = [pending.pop()]
                size = len(current[0])
                for processor in self.blockprocessors:
                    if processor.test(parent, current[0]) and \
                            processor.run(parent, current) is not False:
                        break
                if current:  # some of the block was put back
                    self.budget.left -= size
                    if self.budget.left < 0:
                        current = ["\n".join(lines[i:i + CHUNK_LINES])
                                   for lines in (block.split("\n") for block in current)
                                   for i in range(0, len(lines), CHUNK_LINES)]
                    pending.extend(reversed(current))
        finally:
            self.depth -= 1


# --- raw HTML ---------------------------------------------------------------------------

class _Extractor(HTMLExtractor):
    """The raw HTML finder, without scans to the end of the text for each `<`."""

    def __init__(self, md, budget: _Budget):
        super().__init__(md)
        self.budget = budget
        self.gt, self.piclose = _After(_GT), _After(htmlparser.piclose)
        self.blank_line, self.closes = _After(inner_blank_line_re), {}

    def check_for_whole_start_tag(self, i):
        # A `<letter` without a `>` is scanned as a start tag to the end of the text, and
        # the parser then moves on by one character.
        rawdata = self.rawdata
        stop = min(len(rawdata), i + max(self.budget.left, 0))
        match = htmlparser.locatestarttagend_tolerant.match(rawdata, i, stop)
        if match is None or (match.end() == stop < len(rawdata)):
            self.budget.left -= stop - i
            return -1
        end = super().check_for_whole_start_tag(i)
        if end < 0:
            self.budget.left -= match.end() - i
        return end

    def parse_endtag(self, i):
        if self.gt.search(self.rawdata, i) is None:  # as HTMLExtractor does for an unclosed one
            self.handle_data(self.rawdata[i:i + 2])
            return i + 2
        return super().parse_endtag(i)

    def parse_pi(self, i):
        if (self.at_line_start() or self.intail) and self.piclose.search(self.rawdata, i) is None:
            return -1  # as html.parser does for an unclosed one
        return super().parse_pi(i)

    def open_inline_tag(self, tag):
        # The open tags are searched for, and closed later, one at a time.
        if len(self.inline_stack) < MAX_OPEN_TAGS:
            super().open_inline_tag(tag)

    def inline_close_follows(self, text):
        if not self.inline_stack:
            return False
        rawdata = self.rawdata
        start = self.line_offset + self.offset + len(text)
        blank = self.blank_line.search(rawdata, start)
        end = blank.start() if blank else len(rawdata)
        for tag in set(self.inline_stack):
            if tag not in self.closes:
                self.closes[tag] = _After(re.compile(rf"</\s*{re.escape(tag)}\s*>", re.IGNORECASE))
            close = self.closes[tag].search(rawdata, start)
            if close and close.end() <= end:
                return True
        return False


class _HtmlBlocks(HtmlBlockPreprocessor):
    def __init__(self, md, budget: _Budget):
        super().__init__(md)
        self.budget = budget

    def run(self, lines):
        parser = _Extractor(self.md, self.budget)
        parser.feed("\n".join(lines))
        parser.close()
        return "".join(parser.cleandoc).split("\n")


class BoundedExtension(Extension):
    """Load last: it replaces processors that the other extensions have registered."""

    def extendMarkdown(self, md):
        links, inline = _Budget(SCAN_FACTOR), _Budget(INLINE_FACTOR)
        html, blocks = _Budget(SCAN_FACTOR), _Budget(BLOCK_FACTOR)
        md.preprocessors.register(_SetBudgets(md, [links, inline, html, blocks]), "budgets", 1000)
        md.preprocessors.register(_HtmlBlocks(md, html), "html_block", 20)

        md.parser.__class__ = _BlockParser
        md.parser.budget = blocks
        for name, attribute in SEARCHED.items():
            if name in md.parser.blockprocessors:
                processor = md.parser.blockprocessors[name]
                setattr(processor, attribute, _Searched(getattr(processor, attribute)))

        regexes = {name: md.inlinePatterns[name].pattern for name in LINK_PROCESSORS}
        for name, (cls, priority) in LINK_PROCESSORS.items():
            processor = cls(regexes[name], md)
            processor.budget = links
            md.inlinePatterns.register(processor, name, priority)
        for pattern in md.inlinePatterns:
            if isinstance(pattern, inlinepatterns.InlineProcessor):
                pattern.handleMatch = _charged(pattern, inline)

        if "abbr" in md.treeprocessors:
            abbr = md.treeprocessors["abbr"]
            md.treeprocessors.register(_Abbreviations(md, abbr.abbrs), "abbr", 7)
