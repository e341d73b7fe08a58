"""Access rules for the directory of people, skills and trainers: profile details, endorsements,
contact.

Part of cop.access (see its docstring): register model rules with `register_rules` and list the
public names in __all__; callers use them as `access.<name>`.

Rules:
- name, organisation, job title and the spaces (as cop.access says) of a profile are visible to
  everybody signed in; the *details* (bio, skills, topics, languages, learning, trainer offer,
  endorsements) follow the person's choice: everybody signed in (the default), or only people
  who share a space with them (both members of one space). The person and site admins always see
  them. `details_visible_clause` is the rule in SQL: the directory search, the skills map and
  the trainers page filter with it; `can(user, VIEW_DETAILS, details)` is the same rule for one
  profile.
- a person edits their own details (admins too); endorses a skill of somebody else whose details
  they see, once per skill; contacts through the platform an active person whose details they
  see, never themselves.
"""
from __future__ import annotations

from sqlalchemy import false, or_, select, true

from cop.access.core import EDIT, _signed_in, _ties
from cop.auth.models import User
from cop.directory.models import DetailsVisibility, PersonSkill, ProfileDetails
from cop.extensions import db
from cop.spaces.models import Membership

VIEW_DETAILS = "view_details"
ENDORSE = "endorse"
CONTACT = "contact"

__all__: list[str] = ["VIEW_DETAILS", "ENDORSE", "CONTACT", "details_visible_clause",
                      "details_open_clause", "details_restricted_clause", "shares_a_space"]


def details_visible_clause(viewer, user_id_column=None, *, details_joined: bool = False):
    """SQL condition on a user id column (default: User.id): the people whose profile details
    `viewer` may see. `details_joined`: the statement joins each person's ProfileDetails row
    (outer joined: a person without one shows details to everybody, the default), so its
    visibility is read there instead of listing every restricted profile."""
    column = User.id if user_id_column is None else user_id_column
    if not _signed_in(viewer) or not viewer.is_active:
        return false()
    if viewer.is_admin:
        return true()
    # Asked only of the few restricted profiles, row by row: cheaper than listing everybody
    # who shares a space with the viewer (a regional space has thousands of members).
    viewer_spaces = list(_ties(viewer))
    sharing = select(Membership.id).where(
        Membership.user_id == column, Membership.space_id.in_(viewer_spaces)
    ).exists() if viewer_spaces else false()
    return or_(column == viewer.id, details_open_clause(column, details_joined=details_joined),
               sharing)


def details_open_clause(user_id_column=None, *, details_joined: bool = False):
    """SQL condition: the people whose details everybody signed in sees (the part of
    `details_visible_clause` that is the same for every viewer; the skills map keeps its
    figures for it a few minutes, for everybody)."""
    column = User.id if user_id_column is None else user_id_column
    if details_joined:
        return or_(ProfileDetails.visibility.is_(None), ~details_restricted_clause())
    return column.not_in(select(ProfileDetails.user_id).where(details_restricted_clause()))


def details_restricted_clause():
    """SQL condition on ProfileDetails: details shown only to people who share a space (the
    complement of `details_open_clause`)."""
    return ProfileDetails.visibility == DetailsVisibility.SHARED_SPACES.value


def shares_a_space(viewer, person_id: int) -> bool:
    """Whether `viewer` and the person are both members of at least one space."""
    space_ids = list(_ties(viewer))
    if not space_ids:
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == person_id, Membership.space_id.in_(space_ids)).limit(1)) is not None


def _sees_details(viewer, details: ProfileDetails) -> bool:
    if viewer.is_admin or details.user_id == viewer.id or details.shows_to_everybody:
        return True
    return shares_a_space(viewer, details.user_id)


def can_details(viewer, action: str, details: ProfileDetails) -> bool:
    """`details` may be a transient ProfileDetails (a person who has told nothing yet)."""
    if action == VIEW_DETAILS:
        return _sees_details(viewer, details)
    if action == EDIT:
        return details.user_id == viewer.id or viewer.is_admin
    if action == CONTACT:
        person = db.session.get(User, details.user_id)
        return (person is not None and person.active and details.user_id != viewer.id
                and _sees_details(viewer, details))
    return False


def _details_of(user_id: int) -> ProfileDetails:
    """As cop.directory.queries.details_of (which imports this package): the row, or the
    default a person has before telling anything."""
    return db.session.get(ProfileDetails, user_id) or ProfileDetails(
        user_id=user_id, visibility=DetailsVisibility.EVERYBODY.value, topics="", languages="",
        search_words="")


def can_person_skill(viewer, action: str, person_skill: PersonSkill) -> bool:
    if action == ENDORSE:
        return person_skill.user_id != viewer.id and _sees_details(
            viewer, _details_of(person_skill.user_id))
    return False
