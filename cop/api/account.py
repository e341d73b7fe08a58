"""A person's API tokens in their data export: what each is and when it was used (never the
token, which is not kept, nor its hash)."""
from __future__ import annotations

from cop.api import queries
from cop.extensions import db


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export(user) -> dict:
    return {"api_tokens": [
        {"name": t.name, "prefix": t.prefix, "scopes": t.scope_list,
         "created_at": _when(t.created_at), "expires_at": _when(t.expires_at),
         "last_used_at": _when(t.last_used_at), "revoked_at": _when(t.revoked_at)}
        for t in db.session.scalars(queries.tokens_of(user.id))]}
