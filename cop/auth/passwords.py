"""Password policy: 10 to 128 characters, not a common password, not the person's own name
or address. Hashes are scrypt (werkzeug's default), deliberately slow."""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    data = resources.files("cop.auth").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("La password deve avere almeno %(n)d caratteri.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("La password può avere al massimo %(n)d caratteri.", n=MAX_LENGTH))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2:
        problems.append(_("Questa password è tra le più usate e facili da indovinare: "
                          "scegline un'altra."))
    local_part = email.split("@")[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        name and lowered.replace(" ", "") == name.lower().replace(" ", "")
    ):
        problems.append(_("La password non deve contenere il tuo nome o il tuo indirizzo email."))
    return problems


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not-a-real-password")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check, so that timing does not tell which
        # addresses have an account.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
