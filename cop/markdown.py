"""User text is Markdown, rendered once at write time into sanitised HTML.

Python-Markdown does work proportional to the rest of the text for each of many constructs
(3,333 links, 20,000 characters: 22 s of CPU). BoundedExtension (cop.markdown_bounds) keeps
the cost linear: exact replacements where a result can be reused, budgets proportional to the
text where Python-Markdown's own algorithm is at fault. Ordinary text renders as without it;
tests/core/test_markdown_cost.py measures the pathological inputs.
"""
from __future__ import annotations

import re

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from cop.markdown_bounds import BoundedExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# A list item that may start a list right after a line of text, as CommonMark reads it:
# `-`, `*`, `+` or `1.` then text (not a rule such as `- - -` or `***`).
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|1\.)[ \t]+\S")
_RULE = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")


_QUOTE = re.compile(r"(?: {0,3}>)+ ?")  # a line's blockquote markers ("> ", "> > ", ">")


class _ListsAfterText(Preprocessor):
    """Puts a blank line between a paragraph's line and a list item that follows it.

    People type "Ecco cosa serve:\n- una sala\n- un orario" as on GitHub or Discourse;
    Python-Markdown wants a blank line before the list and shows the dashes otherwise. Inside a
    quote ("> Ecco:\n> - una sala") the blank line is a quote's empty line (">"), so the list
    stays in the quote. One pass over the lines, after fenced code and raw HTML have been set
    aside (so never inside them).
    """

    def run(self, lines):
        out, in_paragraph, depth_before, starts = [], False, 0, True
        for line in lines:
            quote = _QUOTE.match(line)
            prefix = quote.group() if quote else ""
            depth, content = prefix.count(">"), line[len(prefix):]
            if depth > depth_before:  # a quote opens: a new block
                in_paragraph, starts = False, True
            # Fewer markers: a paragraph's lazy line, and an empty line at this depth ends
            # the quote before a list item ("> Ecco:\n- uno": the list follows the quote).
            depth_before = depth
            if not content.strip():
                in_paragraph, starts = False, True
            elif _LIST_ITEM.match(content) and not _RULE.match(content):
                if in_paragraph:
                    out.append(prefix.rstrip())
                in_paragraph, starts = False, False
            else:
                if starts:
                    # A block starts: only a plain line of text opens a paragraph (not code,
                    # a list's continuation or a table).
                    in_paragraph = not content.startswith((" ", "\t", "|"))
                starts = False
            out.append(line)
        return out


class ListsAfterTextExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_ListsAfterText(md), "lists_after_text", 15)


EXTENSIONS = ["tables", "fenced_code", "sane_lists", "nl2br", "def_list", "abbr",
              ListsAfterTextExtension()]
# Table alignment as the `align` attribute (allowed above), not a style attribute (stripped).
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def render_markdown(text: str | None) -> str:
    """Markdown to HTML that is safe to show as is: no script, no handlers, no odd URLs.

    python-markdown passes raw HTML through, so everything it produces is cleaned by nh3
    with an allow-list. Headings start at h2: the page owns the h1.
    """
    if not text or not text.strip():
        return ""
    html = to_html(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )


def to_html(text: str, bounded: bool = True) -> str:
    """Python-Markdown's HTML, before sanitising (`bounded=False`: without BoundedExtension,
    for the tests that compare the two)."""
    extensions = [*EXTENSIONS, BoundedExtension()] if bounded else EXTENSIONS
    return _markdown.markdown(text, extensions=extensions, extension_configs=EXTENSION_CONFIGS,
                              output_format="html")
