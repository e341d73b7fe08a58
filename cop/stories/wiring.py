"""Everything cop.stories plugs into the app: its pages, its access rules, its panel, and its
part of a person's data, and the notice of a story told about what somebody wrote."""
from __future__ import annotations

from flask import Flask

from cop import access
from cop.access import stories as story_access
from cop.account.services import register_collector, register_deletion
from cop.discussions.models import Thread
from cop.facts import Fact, register_fact
from cop.meetings.models import Meeting
from cop.practices.models import Practice
from cop.spaces.panels import Panel, register_panel
from cop.stories import (
    account,
    notices,
    panel,
    queries,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.stories.blueprint import bp
from cop.stories.models import ValueStory


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    access.register_rules(ValueStory, story_access.can_story)
    register_panel(Panel("stories", "stories/_panel.html", panel.load, order=40))
    register_collector("stories", account.export)
    register_deletion("stories", account.before_deletion)
    register_fact(Fact("any_story", (Thread, Practice, Meeting), queries.story_fact))
    notices.register()  # the story as a notification subject, and `story_told`
