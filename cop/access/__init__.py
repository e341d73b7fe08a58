"""Who may see and do what. Every page, list and query asks here; nowhere else decides.

This package is the one place the rules live: the core (spaces, discussions, files, people)
in core.py, and one module per feature beside it (practices.py, meetings.py, directory.py ...).
Their public names are re-exported here, so that callers always write `access.something`.
The feature modules import from core.py, never from this facade, so there is no cycle; their
rules are registered (`register_rules`, `register_attachment_owner`) by each feature's
`wiring.init_app`, not on import.

`can(user, action, thing)` answers for one object; `visible_spaces_clause(user)` is the same
rule as a SQL condition, so lists, searches and feeds filter in the database. Pages load the
object of their URL with `get_or_404(model, id, action)`: what one may not see does not exist
(404), what one sees but may not do is forbidden (403).

Rules:
- a *regionale* space is visible to everybody signed in; a *riservato* one to its members, to
  the coordinators of its ATS space (for an Alleanza space) and to site admins; to anyone
  else it does not exist (404);
- members of a space take part in it; coordinators manage it (edit, invite, members, join
  requests); the coordinators of an ATS space also manage the spaces of that ATS's Alleanze;
- site admins may do everything; profiles and organisations are visible to everybody signed in;
- discussions: a thread and its posts are visible where their space is; anyone who may take part
  in the space (its members, its managers, and everybody signed in for a *regionale* space) opens
  threads and replies (not in a locked thread, unless they manage it); authors edit and delete
  their own posts; the space's managers pin, lock, move and hide; a hidden thread or post shows
  only to its author and the managers; the thread's author or a manager marks the answer of a
  *domanda* and writes the outcome of a *proposta*;
- an attachment is visible when its owner (a post, a practice, a meeting ...) is; an
  attachment without a known owner type when its space is.
"""
from __future__ import annotations

from cop.access.core import *  # noqa: F401,F403
from cop.access.dashboard import *  # noqa: F401,F403
from cop.access.decisions import *  # noqa: F401,F403
from cop.access.directory import *  # noqa: F401,F403
from cop.access.learning import *  # noqa: F401,F403
from cop.access.meetings import *  # noqa: F401,F403
from cop.access.practices import *  # noqa: F401,F403
from cop.access.stories import *  # noqa: F401,F403
