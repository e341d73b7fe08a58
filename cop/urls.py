from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, else `default` (no open redirects). The one
    check for every `next` of the application: browsers drop tabs and line breaks and read
    a backslash as a slash, so `/\t/evil.example` would leave the site."""
    if not target or not target.startswith("/") or any(
            ch == "\\" or ch.isspace() or not ch.isprintable() for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return default
    return target


DATABASE_INT_MAX = 2**31 - 1


def database_int(value: str) -> int:
    """For `request.args.get(name, type=database_int)`: a number an integer column can hold,
    else the default (a bigger one would fail in the database, not just find nothing)."""
    number = int(value)
    if not -DATABASE_INT_MAX <= number <= DATABASE_INT_MAX:
        raise ValueError(value)
    return number


def page_number(value: str) -> int:
    """For `?pagina=`: a page past the end shows the last one, however far past."""
    return max(1, min(int(value), DATABASE_INT_MAX))


class DatabaseInt(IntegerConverter):
    """<int:...> in URLs, bounded to what an integer column holds (PostgreSQL and SQLite would
    fail on larger numbers): a bigger one simply matches no route, a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(url_map, *args, **kwargs)
