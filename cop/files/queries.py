"""Reads on attachments that pages share."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from cop.extensions import db
from cop.files.models import Attachment


def attachments_of(owner_type: str, owner_ids: Iterable[int]):
    return (
        select(Attachment)
        .where(Attachment.owner_type == owner_type, Attachment.owner_id.in_(list(owner_ids)))
        .order_by(Attachment.owner_id, Attachment.created_at, Attachment.id)
    )


def attachments_by_owner(owner_type: str, owner_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Each owner's attachments, oldest first, in one query; every owner asked for has a
    list (maybe empty), so a template can write `attachments[post.id]`."""
    owner_ids = list(dict.fromkeys(owner_ids))
    found: dict[int, list[Attachment]] = {owner_id: [] for owner_id in owner_ids}
    if owner_ids:
        for attachment in db.session.scalars(attachments_of(owner_type, owner_ids)):
            found[attachment.owner_id].append(attachment)
    return found
