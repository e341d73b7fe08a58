"""Every route is classified, and requested as each kind of person with the expected answer.

A new route that is not classified here fails `test_every_route_is_classified`: decide who
may use it, then add it below.
"""
from __future__ import annotations

import re
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from cop.auth.models import Invitation
from cop.database import utcnow
from cop.extensions import db
from cop.files.services import store_uploads
from tests.account import routes as account_routes
from tests.api import routes as api_routes
from tests.conftest import Client
from tests.dashboard import routes as dashboard_routes
from tests.decisions import routes as decisions_routes
from tests.digests import routes as digests_routes
from tests.directory import routes as directory_routes
from tests.learning import routes as learning_routes
from tests.meetings import routes as meetings_routes
from tests.oidc import routes as oidc_routes
from tests.onboarding import routes as onboarding_routes
from tests.practices import routes as practices_routes
from tests.stories import routes as stories_routes

FEATURES = (account_routes, practices_routes, meetings_routes, directory_routes, dashboard_routes,
            digests_routes, learning_routes, onboarding_routes, stories_routes, api_routes,
            oidc_routes, decisions_routes)

_CSRF_VALUE = re.compile(r'(?<=name="csrf-token" content=")[^"]+'
                         r'|(?<=name="csrf_token" value=")[^"]+')
ACTORS = ("anonymous", "outsider", "member", "coordinator", "admin")
LOGIN = "login"  # a redirect to the sign-in page

EXPECTED = {
    # anonymous, outsider (signed in, not in the space), member, coordinator, admin
    "public": (200, 200, 200, 200, 200),
    "signed_in": (LOGIN, 200, 200, 200, 200),
    "member": (LOGIN, 404, 200, 200, 200),
    "coordinator": (LOGIN, 404, 403, 200, 200),
    "inviter": (LOGIN, 403, 403, 200, 200),
    "admin": (LOGIN, 403, 403, 403, 200),
}

# GET routes: endpoint -> class (or an explicit tuple of answers).
GET_ROUTES = {
    "static": "public",
    "main.home": "public",
    "main.accessibility": "public",
    "health.live": "public",
    "health.ready": "public",
    "ops.metrics": (404, 404, 404, 404, 404),  # only to METRICS_TOKEN's bearer (tests/ops)
    "auth.login": (200, 302, 302, 302, 302),  # signed-in people are sent on
    "auth.forgot_password": "public",
    "auth.reset_password": (404, 404, 404, 404, 404),  # with a token that is not valid
    "auth.accept_invitation": (404, 404, 404, 404, 404),
    "auth.invite": "inviter",
    "people.profile": "signed_in",
    "network.organisations": "signed_in",
    "network.organisation": "signed_in",
    "spaces.index": "signed_in",
    "spaces.mine": "signed_in",
    "spaces.home": "member",
    "spaces.members": "member",
    # members, coordinators and admins are already in: they are sent back to the space
    "spaces.request_join": (LOGIN, 404, 302, 302, 302),
    "spaces.edit": "coordinator",
    "spaces.requests": "coordinator",
    "discussions.latest": "signed_in",
    "discussions.goto_post": (LOGIN, 404, 302, 302, 302),
    "discussions.space_threads": "member",
    "discussions.new_thread": "member",
    "discussions.thread": "member",
    "discussions.reply": "member",
    "discussions.edit_post": (LOGIN, 404, 200, 403, 403),  # only the author edits
    "discussions.post_history": "coordinator",
    "discussions.move_thread": "coordinator",
    "discussions.mention_candidates": "member",
    "files.download": "member",
    "search.results": "signed_in",
    "notifications.index": "signed_in",
    "notifications.preferences": "signed_in",
    "notifications.show": (LOGIN, 404, 302, 404, 404),
    "notifications.unsubscribe": (404, 404, 404, 404, 404),
    "admin.index": "admin",
    "admin.people": "admin",
    "admin.person": "admin",
    "admin.invitations": "admin",
    "admin.organisations": "admin",
    "admin.organisation": "admin",
    "admin.spaces": "admin",
    "admin.new_space": "admin",
    "admin.alleanze": "admin",
    "admin.alleanza": "admin",
    "admin.email_failures": "admin",
}
for _feature in FEATURES:
    GET_ROUTES.update(_feature.GET_ROUTES)

# POST-only routes: who is refused before anything happens (None: allowed, not requested here).
POST_ROUTES = {
    "main.set_language": "public",
    "auth.logout": "public",
    "spaces.change_role": "coordinator",
    "spaces.remove_member": "coordinator",
    "spaces.decide_request": "coordinator",
    "spaces.leave": "member",
    "spaces.revoke_invitation": "coordinator",
    "admin.revoke_invitation": "admin",
    "admin.retry_email_failures": "admin",
    "notifications.mark_read": "signed_in",
    "notifications.mark_all_read": "signed_in",
    "notifications.follow": "signed_in",
    "discussions.delete_post": "member",
    "discussions.toggle_useful": "member",
    "discussions.moderate_post": "coordinator",
    "discussions.moderate_thread": "coordinator",
    "discussions.mark_answer": "member",
    "discussions.set_outcome": "member",
}
for _feature in FEATURES:
    POST_ROUTES.update(_feature.POST_ROUTES)
REFUSED_POST = {
    "public": (None, None, None, None, None),
    "signed_in": (LOGIN, None, None, None, None),
    "member": (LOGIN, 404, None, None, None),
    "coordinator": (LOGIN, 404, 403, None, None),
    "admin": (LOGIN, 403, 403, 403, None),
}


@pytest.fixture
def routes(app, world, factory):
    """URL arguments that exist, around the reserved space of the `world` fixture."""
    request_id = factory.join_request(world.reserved, world.outsider)
    invitee = factory.user(name="Persona Invitata")
    with app.app_context():
        invitation = Invitation(email="invitata@esempio.it", token_hash="0" * 64,
                                organisation_id=invitee.organisation_id, space_id=world.reserved.id,
                                expires_at=utcnow())
        db.session.add(invitation)
        db.session.commit()
        invitation_id = invitation.id
    with app.app_context():
        from cop.auth.models import User
        from cop.discussions import services as discussions
        from cop.spaces.models import Space

        written = discussions.create_thread(
            db.session.get(Space, world.reserved.id), db.session.get(User, world.member.id),
            title="Una discussione riservata", kind="proposta", body="Testo")
        discussions.reply(written.thread, db.session.get(User, world.coordinator.id), body="Sì")
        db.session.commit()
        thread_id, post_id = written.thread.id, written.post.id
        [attachment] = store_uploads([FileStorage(BytesIO(b"%PDF-1.4\n%%EOF\n"), "verbale.pdf")],
                                     space_id=world.reserved.id, owner_type="post",
                                     owner_id=post_id, user=None)
        db.session.commit()
        attachment_id = attachment.id
        from sqlalchemy import select

        from cop.notifications.models import Notification

        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == world.member.id))
    args = {
        "thread_id": thread_id, "post_id": post_id, "attachment_id": attachment_id,
        "notification_id": notification_id,
        "slug": world.reserved.slug, "user_id": world.member.id,
        "organisation_id": world.member.organisation_id,
        "alleanza_id": factory.alleanza("BG", 1).id,
        "request_id": request_id, "invitation_id": invitation_id, "token": "non-valido",
        "filename": "css/cop.css",
    }
    for feature in FEATURES:
        args.update(feature.route_args(app, world, factory))
    return args


def _clients(app, world) -> dict[str, Client]:
    clients = {"anonymous": Client(app)}
    for actor in ACTORS[1:]:
        clients[actor] = Client(app)
        clients[actor].login(getattr(world, actor).email)
    return clients


def _url(app, rule, args) -> str:
    if rule.endpoint == "files.download":
        args = {**args, "filename": "verbale.pdf"}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def _check(response, expected, actor, url):
    if expected == LOGIN:
        assert response.status_code == 302 and "/accedi" in response.headers["Location"], \
            f"{actor} on {url}: expected a redirect to sign in, got {response.status_code}"
    else:
        assert response.status_code == expected, \
            f"{actor} on {url}: expected {expected}, got {response.status_code}"


def test_every_route_is_classified(app):
    for rule in app.url_map.iter_rules():
        methods = rule.methods - {"HEAD", "OPTIONS"}
        if "GET" in methods:
            assert rule.endpoint in GET_ROUTES, f"classify the GET route {rule} ({rule.endpoint})"
        else:
            assert rule.endpoint in POST_ROUTES, f"classify the POST route {rule} ({rule.endpoint})"


def test_get_routes_answer_each_person_as_classified(app, world, routes):
    clients = _clients(app, world)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        expected = GET_ROUTES[rule.endpoint]
        answers = EXPECTED[expected] if isinstance(expected, str) else expected
        url = _url(app, rule, routes)
        for actor, answer in zip(ACTORS, answers):
            _check(clients[actor].get(url), answer, actor, url)


def test_post_routes_refuse_people_who_may_not(app, world, routes):
    clients = _clients(app, world)
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods:
            continue
        url = _url(app, rule, routes)
        for actor, answer in zip(ACTORS, REFUSED_POST[POST_ROUTES[rule.endpoint]]):
            if answer is not None:
                _check(clients[actor].post(url), answer, actor, url)


def test_a_reserved_space_is_indistinguishable_from_a_missing_one(client, world):
    client.login(world.outsider.email)
    reserved = client.get(f"/spazi/{world.reserved.slug}/")
    missing = client.get("/spazi/non-esiste/")
    assert reserved.status_code == missing.status_code == 404
    # The same page, but for the path echoed in the language switch and the CSRF token (signed
    # with the second it was made in: two requests may fall in different seconds).
    def page(response, slug):
        return _CSRF_VALUE.sub("TOKEN", response.get_data(as_text=True).replace(slug, "non-esiste"))

    assert page(reserved, world.reserved.slug) == page(missing, "non-esiste")
