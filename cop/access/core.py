"""The core of cop.access (see the package's docstring): spaces, discussions, attachments,
people and organisations, and the registries the features' rules plug into
(`register_rules`, `register_attachment_owner`; each feature's `wiring.init_app` calls them).

It imports no feature rules module: those (cop/access/practices.py and the others) import
from here, and cop/access/__init__.py re-exports both, so callers write `access.something`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import and_, bindparam, false, or_, select, true
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.sql.elements import BindParameter

from cop.auth.models import SiteRole, User
from cop.discussions.models import Post, Thread
from cop.extensions import db
from cop.network.models import Organisation
from cop.spaces.models import Membership, Space, SpaceKind, SpaceRole, Visibility

VIEW = "view"
PARTICIPATE = "participate"
MANAGE = "manage"
REQUEST_JOIN = "request_join"
LEAVE = "leave"
EDIT = "edit"
INVITE = "invite"
ADMINISTER = "administer"
POST = "post"  # open a thread in a space
REPLY = "reply"
MODERATE = "moderate"
DELETE = "delete"
RESOLVE = "resolve"  # mark the answer of a question, write the outcome of a proposal
MARK_USEFUL = "mark_useful"


@dataclass(frozen=True)
class SpaceTie:
    role: str
    kind: str
    ats_id: int | None
    alleanza_id: int | None


def _ties(user) -> dict[int, SpaceTie]:
    """The person's memberships (role, space kind, ATS and Alleanza), loaded once per request."""
    if not _signed_in(user):
        return {}
    cache = g.setdefault("_cop_ties", {}) if has_request_context() else {}
    if user.id not in cache:
        rows = db.session.execute(
            select(Membership.space_id, Membership.role, Space.kind, Space.ats_id,
                   Space.alleanza_id)
            .join(Space, Space.id == Membership.space_id)
            .where(Membership.user_id == user.id)
        )
        cache[user.id] = {r.space_id: SpaceTie(r.role, r.kind, r.ats_id, r.alleanza_id)
                          for r in rows}
    return cache[user.id]


def forget_ties() -> None:
    """Call after changing memberships within a request that will ask again."""
    if has_request_context():
        g.pop("_cop_ties", None)
        g.pop("_cop_clauses", None)  # built from them


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def space_role(user, space: Space) -> str | None:
    tie = _ties(user).get(space.id)
    return tie.role if tie else None


def coordinated_ats_ids(user) -> set[int]:
    return {
        t.ats_id
        for t in _ties(user).values()
        if t.kind == SpaceKind.ATS.value and t.role == SpaceRole.COORDINATOR.value and t.ats_id
    }


def _manages(user, space: Space) -> bool:
    if user.is_admin:
        return True
    if space_role(user, space) == SpaceRole.COORDINATOR.value:
        return True
    return space.kind == SpaceKind.ALLEANZA.value and space.ats_id in coordinated_ats_ids(user)


def _can_space(user, action: str, space: Space) -> bool:
    role = space_role(user, space)
    if action == VIEW:
        return (
            space.visibility == Visibility.REGIONAL.value
            or role is not None
            or _manages(user, space)
        )
    if action == PARTICIPATE:
        return role is not None or _manages(user, space)
    if action in (MANAGE, INVITE):
        return _manages(user, space)
    if action == REQUEST_JOIN:
        return role is None and space.visibility == Visibility.REGIONAL.value
    if action == LEAVE:
        return role is not None
    if action == POST:
        return space.visibility == Visibility.REGIONAL.value or role is not None \
            or _manages(user, space)
    if action == MODERATE:
        return _manages(user, space)
    return False


def _can_thread(user, action: str, thread) -> bool:
    space = thread.space
    is_author = thread.author_id == user.id
    if not _can_space(user, VIEW, space):
        return False
    if action == VIEW:
        return not thread.hidden or is_author or _manages(user, space)
    if not _can_thread(user, VIEW, thread):
        return False
    if action == REPLY:
        return _can_space(user, POST, space) and (not thread.locked or _manages(user, space))
    if action == MODERATE:
        return _manages(user, space)
    if action == RESOLVE:
        return is_author or _manages(user, space)
    return False


@dataclass(frozen=True)
class PostRules:
    """What one person may do with the posts of one thread, worked out once: a thread page asks
    it for every post, and the answers differ only by authorship and the post's state."""

    user_id: int
    sees_thread: bool
    manages: bool
    may_reply: bool
    may_post_in_space: bool
    locked: bool

    def allows(self, action: str, post) -> bool:
        if not self.sees_thread:
            return False
        is_author = post.author_id is not None and post.author_id == self.user_id
        visible = not post.hidden or is_author or self.manages
        if action == VIEW:
            return visible
        if post.is_deleted or not visible:
            return False
        if action == EDIT:
            return is_author and (not self.locked or self.manages)
        if action == DELETE:
            return is_author or self.manages
        if action == MODERATE:
            return self.manages
        if action == MARK_USEFUL:
            return not is_author and self.may_post_in_space
        if action == REPLY:
            return self.may_reply
        return False


def post_rules(user, thread) -> PostRules:
    space = thread.space
    return PostRules(user_id=user.id, sees_thread=_can_thread(user, VIEW, thread),
                     manages=_manages(user, space), may_reply=_can_thread(user, REPLY, thread),
                     may_post_in_space=_can_space(user, POST, space), locked=thread.locked)


def _can_post(user, action: str, post) -> bool:
    return post_rules(user, post.thread).allows(action, post)


_ATTACHMENT_OWNERS: dict = {}


def register_attachment_owner(owner_type: str, load) -> None:
    """`load(owner_id)` returns the object an attachment belongs to (checked with VIEW)."""
    _ATTACHMENT_OWNERS[owner_type] = load


def _can_attachment(user, action: str, attachment) -> bool:
    """The owner decides when it is known (a post checks its thread and space; a practice read
    beyond its space shares its files with its readers); otherwise the space does."""
    if action != VIEW:
        return False
    load = _ATTACHMENT_OWNERS.get(attachment.owner_type)
    if load is None:
        space = db.session.get(Space, attachment.space_id)
        return space is not None and _can_space(user, VIEW, space)
    owner = load(attachment.owner_id)
    return owner is not None and can(user, VIEW, owner)


_RULES: dict[type, object] = {}


def register_rules(model: type, rule) -> None:
    """`rule(user, action, thing) -> bool` answers `can()` for instances of `model` (called
    only for active signed-in people). Each feature's `wiring.init_app` registers the rules
    of its models (written in this package's module for the feature, e.g. practices.py)."""
    _RULES[model] = rule


def can(user, action: str, thing=None) -> bool:
    if not _signed_in(user) or not user.is_active:
        return False
    rule = _RULES.get(type(thing))
    if rule is not None:
        return rule(user, action, thing)
    if isinstance(thing, Space):
        return _can_space(user, action, thing)
    if isinstance(thing, Thread):
        return _can_thread(user, action, thing)
    if isinstance(thing, Post):
        return _can_post(user, action, thing)
    if getattr(thing, "__tablename__", None) == "attachments":
        return _can_attachment(user, action, thing)
    if isinstance(thing, User):
        if action == VIEW:
            return True
        return action == EDIT and (thing.id == user.id or user.is_admin)
    if isinstance(thing, Organisation):
        return action == VIEW or (action in (EDIT, MANAGE) and user.is_admin)
    if thing is None:
        if action == ADMINISTER:
            return user.is_admin
        if action == INVITE:  # invite somebody into at least one space
            return user.is_admin or any(
                t.role == SpaceRole.COORDINATOR.value for t in _ties(user).values()
            )
    return False


def get_or_404(model: type, id: int, action: str = VIEW, user=current_user, *,
               options: tuple = (), belongs=None):
    """The page's object: `model` by primary key `id`, checked for `user` (the one loader
    every page uses). Missing, not `belongs(thing)` (e.g. in another space than the URL's) or
    not visible to `user`: 404, what one may not see does not exist. Visible but `action` not
    allowed: 403. With loader `options` (what the page shows) it is one SELECT that loads them;
    without, `Session.get` (the identity map first)."""
    if options:
        thing = db.session.execute(_by_key(model, options), {"get_or_404_id": id}) \
            .unique().scalar_one_or_none()  # unique: options may join a collection
    else:
        thing = db.session.get(model, id)
    if thing is None or (belongs is not None and not belongs(thing)) or \
            not can(user, VIEW, thing):
        abort(404)
    if action != VIEW and not can(user, action, thing):
        abort(403)
    return thing


@functools.lru_cache(maxsize=128)
def _by_key(model: type, options: tuple):
    """The statement of `get_or_404` with loader options, built once for each (features'
    `*_page()` options functions are cached, so the same tuple comes back): its options and
    cache key cost more to build at every request than the SELECT costs to run."""
    key = sa_inspect(model).primary_key[0]
    return select(model).where(key == bindparam("get_or_404_id")).options(*options)


class Anyone:
    """Stands for the person in a statement built once and run for every person of a kind
    (admins, curators, others), such as the bell's count on every page: building and keying a
    statement with these clauses costs SQLAlchemy far more than running it. Whether they
    administer or curate is a plain value (it is in `for_anyone`'s key); what else the clauses
    read of the person (id, coordinated spaces and ATS) are bound parameters, which
    `parameters(user)` fills in at each run; see `for_anyone`."""

    is_authenticated = True
    is_active = True

    def __init__(self, is_admin: bool, is_curator: bool = False):
        self.is_admin = is_admin
        self.is_curator = is_curator or is_admin  # as User.is_curator: admins curate too
        self.id = bindparam("access_user_id")


def parameters(user) -> dict:
    """The values of `Anyone`'s parameters for `user` (signed in and active)."""
    coordinated, ats_ids = _coordination(user)
    return {"access_user_id": user.id, "access_coordinated_spaces": coordinated,
            "access_coordinated_ats": ats_ids}


_FOR_ANYONE: dict[tuple[str, bool, bool], object] = {}


def for_anyone(name: str, user, build) -> tuple[object, dict]:
    """`build(person)` made once per process and kind of person, with the parameters to run it
    for `user`: `db.session.scalar(*access.for_anyone(...))`. `build` may read of the person
    only what `Anyone` has, so the statement cannot carry anybody's values."""
    if not _signed_in(user) or not user.is_active:
        return build(user), {}
    key = (name, bool(user.is_admin), bool(user.is_curator))  # what clauses read as values
    statement = _FOR_ANYONE.get(key)
    if statement is None:
        statement = _FOR_ANYONE.setdefault(key, build(Anyone(*key[1:])))
    return statement, parameters(user)


def _coordination(user) -> tuple:
    """(ids of the spaces the person coordinates, ids of the ATS whose ATS space they
    coordinate): sorted lists, or for `Anyone` bound parameters of those lists."""
    if isinstance(user, Anyone):
        return (bindparam("access_coordinated_spaces", expanding=True),
                bindparam("access_coordinated_ats", expanding=True))
    coordinated = sorted(sid for sid, t in _ties(user).items()
                         if t.role == SpaceRole.COORDINATOR.value)
    return coordinated, sorted(coordinated_ats_ids(user))


def _some(ids) -> bool:
    """A list with ids in it, or a parameter (which may hold some)."""
    return isinstance(ids, BindParameter) or bool(ids)


def once_per_request(build):
    """The clause `build(user)` made once per request and person: a page asks for the same ones
    a dozen times (each panel, each list), and building them is most of their cost. They are
    made from the person's memberships, and dropped with them (`forget_ties`; the meetings' also
    by `forget_meeting_rules`). Feature rules modules use it for their own clauses."""
    @functools.wraps(build)
    def clause(user):
        if isinstance(user, Anyone) or not has_request_context() or not _signed_in(user):
            return build(user)
        made = g.setdefault("_cop_clauses", {})
        key = (build.__name__, user.id)
        if key not in made:
            made[key] = build(user)
        return made[key]
    return clause


@once_per_request
def visible_spaces_clause(user):
    """SQL condition on Space: the spaces `user` may see."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    member_of = select(Membership.space_id).where(Membership.user_id == user.id)
    clauses = [Space.visibility == Visibility.REGIONAL.value, Space.id.in_(member_of)]
    _, ats_ids = _coordination(user)
    if _some(ats_ids):
        clauses.append(and_(Space.kind == SpaceKind.ALLEANZA.value, Space.ats_id.in_(ats_ids)))
    return or_(*clauses)


@once_per_request
def managed_spaces_clause(user):
    """SQL condition on Space: the spaces `user` manages (coordinates or oversees)."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    coordinated, ats_ids = _coordination(user)
    clauses = [Space.id.in_(coordinated)] if _some(coordinated) else []
    if _some(ats_ids):
        clauses.append(and_(Space.kind == SpaceKind.ALLEANZA.value, Space.ats_id.in_(ats_ids)))
    return or_(*clauses) if clauses else false()


def manages_any_space(user) -> bool:
    """Whether some space is in `managed_spaces_clause(user)` (a page may skip asking)."""
    if not _signed_in(user) or not user.is_active:
        return False
    coordinated, ats_ids = _coordination(user)
    return bool(user.is_admin or coordinated or ats_ids)


@once_per_request
def visible_threads_clause(user):
    """SQL condition on Thread: the threads `user` may see (and so their posts, in lists)."""

    if not _signed_in(user) or not user.is_active:
        return false()
    in_visible_space = Thread.space_id.in_(select(Space.id).where(visible_spaces_clause(user)))
    if user.is_admin:
        return true()
    managed = select(Space.id).where(managed_spaces_clause(user))
    return and_(in_visible_space, or_(Thread.hidden == false(), Thread.author_id == user.id,
                                      Thread.space_id.in_(managed)))


@once_per_request
def visible_posts_clause(user):
    """SQL condition on Post (joined to its Thread): the posts `user` may read in lists."""
    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    return and_(visible_threads_clause(user), posts_shown_in_thread_clause(user))


@once_per_request
def posts_shown_in_thread_clause(user):
    """SQL condition on Post (joined to its Thread), for a statement already kept to
    `visible_threads_clause(user)`: the posts of those threads that `user` may read."""

    if not _signed_in(user) or not user.is_active:
        return false()
    if user.is_admin:
        return true()
    managed = select(Space.id).where(managed_spaces_clause(user))
    return or_(Post.hidden == false(), Post.author_id == user.id, Thread.space_id.in_(managed))


def users_who_see_space_clause(space: Space):
    """SQL condition on User: the active people who may see `space` (mentions, notifications)."""

    if space.visibility == Visibility.REGIONAL.value:
        return User.active.is_(True)
    members = select(Membership.user_id).where(Membership.space_id == space.id)
    return or_(and_(User.active.is_(True), User.id.in_(members)),
               users_who_manage_space_clause(space))


def users_who_see_thread_clause(thread):
    """SQL condition on User: who may see `thread` (its space's readers; if hidden, its author
    and the space's managers only)."""

    clause = users_who_see_space_clause(thread.space)
    if thread.hidden:
        clause = and_(clause, or_(User.id == thread.author_id, users_who_manage_space_clause(
            thread.space)))
    return clause


def users_who_manage_space_clause(space: Space):

    coordinators = select(Membership.user_id).where(
        Membership.space_id == space.id, Membership.role == SpaceRole.COORDINATOR.value)
    clauses = [User.site_role == SiteRole.ADMIN.value, User.id.in_(coordinators)]
    if space.kind == SpaceKind.ALLEANZA.value and space.ats_id:
        clauses.append(User.id.in_(
            select(Membership.user_id).join(Space, Space.id == Membership.space_id).where(
                Space.kind == SpaceKind.ATS.value, Space.ats_id == space.ats_id,
                Membership.role == SpaceRole.COORDINATOR.value)))
    return and_(User.active.is_(True), or_(*clauses))
