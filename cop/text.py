import re
import unicodedata


def slugify(value: str, max_length: int = 70) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "spazio"


def normalise_email(value: str) -> str:
    return value.strip().lower()
