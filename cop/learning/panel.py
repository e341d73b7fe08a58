"""The learning panel on the space home: the space's latest paths with the person's progress,
in one statement (the same as the space's list, limited)."""
from cop import access
from cop.learning import queries


def load(space, user):
    rows = queries.paths_for(user, space.id, limit=3)
    may_manage = access.may_manage_learning(user, space)
    if not rows and not may_manage:
        return None  # nothing to show and nothing this person could add
    return {"rows": rows, "may_manage": may_manage}
