"""Writing directory profiles for tests, through the feature's services."""
from __future__ import annotations

import html
import re

from cop.auth.models import User
from cop.directory import services
from cop.extensions import db


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def main(response) -> str:
    return re.search(r"<main\b.*?</main>", text(response), re.DOTALL).group(0)


def profile(app, person, *, levels: dict[str, int], visibility: str = "tutti", topics: str = "",
            languages: str = "", trainer: dict | None = None) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        services.update_details(user, visibility=visibility, topics=topics, languages=languages,
                                levels=levels)
        if trainer is not None:
            services.set_trainer_offer(user, **{"in_person": True, "online": False,
                                                "availability": "", "ats_ids": [], **trainer})
        db.session.commit()


def ats_id(app, code: str) -> int:
    from sqlalchemy import select

    from cop.network.models import Ats

    with app.app_context():
        return db.session.scalar(select(Ats.id).where(Ats.code == code))
