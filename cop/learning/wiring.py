"""Everything cop.learning plugs into the app: its pages and the public check of an
attestation's code, its access rules and handouts, its panel, and its part of a person's
data."""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.access import learning as learning_access
from cop.account.services import register_collector, register_deletion
from cop.learning import (  # noqa: F401  (views, verification: routes attach on import)
    account,
    panel,
    verification,
    views,
)
from cop.learning.blueprint import bp, verification_bp
from cop.learning.models import Attestation, LearningModule, LearningPath
from cop.spaces.panels import Panel, register_panel


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(verification_bp)
    access.register_rules(LearningPath, learning_access.can_path)
    access.register_rules(LearningModule, learning_access.can_module)
    access.register_rules(Attestation, learning_access.can_attestation)
    access.register_attachment_owner(learning_access.MODULE_OWNER_TYPE,
                                     learning_access.module_of_attachment)
    register_panel(Panel("learning", "learning/_panel.html", panel.load, order=18))
    register_collector("learning", account.export)
    register_deletion("learning", account.before_deletion)
