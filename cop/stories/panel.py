"""The value-stories panel on the space home: the latest stories the reader may read, in one
statement."""
from cop import access
from cop.extensions import db
from cop.spaces.panels import Panel, register_panel
from cop.stories import queries


def _load(space, user):
    stories = db.session.scalars(queries.latest_stories(user, space.id)).all()
    return {"stories": stories, "may_tell": access.may_tell_story(user, space)}


register_panel(Panel("stories", "stories/_panel.html", _load, order=40))
