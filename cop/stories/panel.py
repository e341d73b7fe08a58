"""The value-stories panel on the space home: the latest stories the reader may read, in one
statement."""
from cop import access
from cop.extensions import db
from cop.stories import queries


def load(space, user):
    stories = db.session.scalars(queries.latest_stories(user, space.id)).all()
    return {"stories": stories, "may_tell": access.may_tell_story(user, space)}
