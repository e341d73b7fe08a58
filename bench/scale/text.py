"""Italian text for the synthetic data, Markdown source and its sanitised HTML together.

Rendering 100,000 posts one by one with python-markdown takes about a minute, so each
sentence of a finite pool is rendered once and a post's HTML is put together from its
sentences' HTML (a paragraph is `<p>` + sentences joined by spaces + `</p>`, blocks joined by
a newline), which is what `render_markdown` gives for such text. A self-test on sample
bodies checks that before seeding; if the renderer ever disagrees, every body is rendered
whole instead (slower, same result). Sentences with a mention or a rare word are rendered one
by one, with the app's own `render_post`.
"""
from __future__ import annotations

import random
import re
from collections.abc import Callable

from bench.scale import words
from cop.markdown import render_markdown

_PARAGRAPH = re.compile(r"<p>(.*)</p>", re.DOTALL)


class _Slots(dict):
    """format_map() values drawn on demand, in the order the pattern names them."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        choice = self.rng.choice
        base = key.removesuffix("_cap")
        value = {
            "place": lambda: choice(words.PLACES), "service": lambda: choice(words.SERVICES),
            "people": lambda: choice(words.PEOPLE), "time": lambda: choice(words.TIMES),
            "action": lambda: choice(words.ACTIONS), "problem": lambda: choice(words.PROBLEMS),
            "tool": lambda: choice(words.TOOLS), "result": lambda: choice(words.RESULTS),
            "n": lambda: str(self.rng.randint(3, 120)),
        }[base]()
        if key.endswith("_cap"):
            value = value[:1].upper() + value[1:]
        self[key] = value
        return value


def fill(rng: random.Random, pattern: str) -> str:
    return pattern.format_map(_Slots(rng))


def _inline(html: str) -> str | None:
    """The inside of a single paragraph, or None if the HTML is anything else."""
    match = _PARAGRAPH.fullmatch(html)
    return match.group(1) if match and "<p>" not in match.group(1) else None


class Writer:
    """Bodies, titles and short texts from a pool of pre-rendered sentences."""

    def __init__(self, rng: random.Random, pool_size: int,
                 render: Callable[[str], str] = render_markdown):
        self.rng = rng
        self.render = render
        self.whole = False  # True: render every body whole (the self-test failed)
        self.pool: list[tuple[str, str]] = []
        self._cache: dict[str, str] = {}
        for _ in range(pool_size * 5):  # a sentence may come twice: rendered once
            if len(self.pool) == pool_size:
                break
            sentence = fill(rng, rng.choice(words.SENTENCES))
            inner = _inline(self.rendered(sentence))
            if inner is not None:
                self.pool.append((sentence, inner))

    def inline(self, sentence: str, html: str | None = None) -> str:
        """The HTML of a sentence rendered alone (given, or rendered now and cached)."""
        html = self.rendered(sentence) if html is None else html
        inner = _inline(html)
        if inner is None:
            raise ValueError(f"not a one-paragraph sentence: {sentence!r}")
        return inner

    def rendered(self, markdown: str) -> str:
        """The renderer's HTML for a short text (bios, outcomes), cached."""
        if markdown not in self._cache:
            self._cache[markdown] = self.render(markdown)
        return self._cache[markdown]

    def body(self, lead: tuple[str, str] | None = None,
             render: Callable[[str], str] | None = None) -> tuple[str, str]:
        """(Markdown, HTML): one to four paragraphs, sometimes a list. `lead` is a first
        sentence with its inline HTML (a mention, a rare word); `render` is how the whole
        body would be rendered (default: the writer's renderer)."""
        rng = self.rng
        count = rng.choices((1, 2, 3, 4), weights=(45, 35, 15, 5))[0]
        blocks: list[tuple[str, str]] = []
        for index in range(count):
            chosen = [self.pool[rng.randrange(len(self.pool))] for _ in range(rng.randint(1, 4))]
            if index == 0 and lead is not None:
                chosen.insert(0, lead)
            blocks.append((" ".join(s for s, _ in chosen),
                           "<p>" + " ".join(h for _, h in chosen) + "</p>"))
        if rng.random() < 0.06:
            items = rng.sample(words.LIST_ITEMS, rng.randint(2, 4))
            blocks.insert(1, ("\n".join(f"- {item}" for item in items),
                              "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items)
                              + "\n</ul>"))
        markdown = "\n\n".join(m for m, _ in blocks)
        if self.whole:
            return markdown, (render or self.render)(markdown)
        return markdown, "\n".join(h for _, h in blocks)

    def self_test(self, samples: int = 300) -> bool:
        """Whether composed HTML equals the renderer's on sample bodies; if not, switch to
        rendering bodies whole. Uses its own random generator: seeding stays the same."""
        saved, self.rng = self.rng, random.Random(0)
        try:
            ok = all(html == self.render(markdown)
                     for markdown, html in (self.body() for _ in range(samples)))
        finally:
            self.rng = saved
        self.whole = not ok
        return ok

    def sentence(self, pattern: str) -> str:
        return fill(self.rng, pattern)

    def title(self, kind: str) -> str:
        patterns = {"domanda": words.QUESTIONS, "esperienza": words.STATEMENTS,
                    "proposta": words.PROPOSALS, "avviso": words.NOTICES}[kind]
        title = fill(self.rng, self.rng.choice(patterns))
        return (title[:1].upper() + title[1:])[:200]
