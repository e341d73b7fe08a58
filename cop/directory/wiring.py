"""Everything cop.directory plugs into the app: its pages, the access rules of profile details
and skills, its part of a person's data (export, and deletion of the account), and the
notice of an endorsement, and the skills map's stored figures (`flask cop refresh-figures`)."""
from __future__ import annotations

from flask import Flask

from cop import access, figure_store
from cop.access import directory as directory_access
from cop.account.services import register_collector, register_deletion
from cop.directory import (
    account,
    notices,
    queries,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.directory.blueprint import bp
from cop.directory.models import PersonSkill, ProfileDetails


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    access.register_rules(ProfileDetails, directory_access.can_details)
    access.register_rules(PersonSkill, directory_access.can_person_skill)
    register_collector("directory", account.export)
    register_deletion("directory", account.before_deletion)
    notices.register()  # a person's profile as a notification subject, and `endorsed`
    figure_store.register_figures(queries.OPEN_FIGURES, queries.open_figures_parts)
