"""A bounded LRU of rendered HTML, one per app process, for parts of pages keyed by everything
they show (cop/chrome.py: the page's frame; cop/discussions/cards.py: post cards). A change to
what a part shows is a new key: nothing is invalidated by hand, old keys age out."""
from __future__ import annotations

import threading
from collections import OrderedDict


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

    def __len__(self) -> int:
        return len(self._parts)
