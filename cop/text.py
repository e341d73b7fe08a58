import re
import unicodedata


def slugify(value: str, max_length: int = 70) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "spazio"


def normalise_email(value: str) -> str:
    return value.strip().lower()


def unique_name(name: str, used: set[str]) -> str:
    """`name`, or "name (2)", "name (3)" ... the first not in `used` (which it joins)."""
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name} ({n})", n + 1
    used.add(candidate)
    return candidate
