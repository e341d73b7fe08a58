from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default` (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


class DatabaseInt(IntegerConverter):
    """<int:...> in URLs, bounded to what an integer column holds (PostgreSQL and SQLite would
    fail on larger numbers): a bigger one simply matches no route, a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)
