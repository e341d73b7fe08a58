"""A bounded LRU of rendered HTML, one per app process, for parts of pages keyed by everything
they show (cop/chrome.py: the page's frame; cop/discussions/cards.py: post cards and the reply
form). A change to what a part shows is a new key: nothing is invalidated by hand, old keys
age out."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

# Escaped in anything people write, and stripped from stored HTML: it can only be ours.
TOKEN_SLOT = "<cop-csrf-token>"


class Kept:
    def __init__(self, size: int):
        self.size = size  # 0: nothing is kept
        self._parts: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key) -> str | None:
        with self._lock:
            html = self._parts.get(key)
            if html is not None:
                self._parts.move_to_end(key)
            return html

    def put(self, key, html: str) -> None:
        if not self.size:
            return
        with self._lock:
            self._parts[key] = html
            if len(self._parts) > self.size:
                self._parts.popitem(last=False)

    def html(self, key, draw) -> Markup:
        """The part kept under `key`, or `draw()`'s, then kept. The CSRF token of the reader's
        session, the one per-reader value a part may hold, is kept as a slot and put back."""
        token = generate_csrf()
        html = self.get(key)
        if html is None:
            html = str(draw())
            self.put(key, html.replace(token, TOKEN_SLOT))
            return Markup(html)
        return Markup(html.replace(TOKEN_SLOT, token))

    def __len__(self) -> int:
        return len(self._parts)
