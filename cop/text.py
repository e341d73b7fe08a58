import re
import unicodedata

_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_ONE_LINE_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f{_BIDI_CONTROLS}]")


def one_line(value):
    """A single line: breaks and tabs become one space, other controls go."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _ONE_LINE_BREAKS.sub(" ", value))


def multi_line(value):
    """Lines as \\n, tabs kept, other controls gone."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROLS.sub("", value)


def slugify(value: str, max_length: int = 70) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "spazio"


def normalise_email(value: str) -> str:
    return value.strip().lower()


def distinct_name(name: str, used: set[str], qualifiers, *, between: str = "",
                  after: str = "") -> str:
    """`name`, or the first of its variants not in `used` (which it joins): `name - q` for
    each qualifier (a town), or `between + q + after` when given (a second first name).
    Never "name (2)": people and organisations are told apart by what they are."""
    variants = (f"{between}{q}{after}" if between or after else f"{name} - {q}"
                for q in qualifiers)
    for candidate in (name, *variants):
        if candidate not in used:
            used.add(candidate)
            return candidate
    return unique_name(name, used)  # only past every variant (not reached by the demo)


def unique_name(name: str, used: set[str]) -> str:
    """`name`, or "name (2)", "name (3)" ... the first not in `used` (which it joins)."""
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name} ({n})", n + 1
    used.add(candidate)
    return candidate
