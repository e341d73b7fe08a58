"""Personal access tokens: made on the profile's token page (shown once, only a hash kept),
listed with their last use, revoked; expiry, scopes and deactivated owners close the API."""
from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from cop.api.models import ApiToken
from cop.auth.models import User
from cop.extensions import db
from tests.api.helpers import api, make_token, stored_token

PAGE = "/profilo/token-api"


def _create(client, **overrides):
    data = {"name": "Monitoraggio regionale", "scopes": ["practices:read", "spaces:read"],
            "expires_on": (date.today() + timedelta(days=30)).isoformat()}
    data.update(overrides)
    return client.post(PAGE, data)


def test_a_token_made_on_the_profile_is_shown_once_and_stored_as_a_hash(app, client, world):
    client.login(world.member.email)
    profile = client.get(f"/persone/{world.member.id}").get_data(as_text=True)
    assert PAGE in profile  # the way there, from the person's own profile
    response = _create(client)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = re.search(r'id="new-token"[^>]*value="(cop_[^"]+)"', page).group(1)
    assert "l'unica volta che lo vedi" in page.replace("&#39;", "'")

    token = stored_token(app, user_id=world.member.id)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.scopes}
    assert secret.startswith(token.prefix) and len(token.prefix) == 12
    assert token.scope_list == ["spaces:read", "practices:read"]

    listed = client.get(PAGE).get_data(as_text=True)
    assert secret not in listed  # never again
    assert f"{token.prefix}…" in listed and "Monitoraggio regionale" in listed
    assert "<td>mai</td>" in listed  # not used yet

    answer = api(app, "/api/v1/", secret)
    assert answer.status_code == 200
    assert answer.get_json()["user"]["name"] == "Membro Alleanza"
    assert "Set-Cookie" not in answer.headers
    assert stored_token(app, id=token.id).last_used_at is not None
    assert "<td>mai</td>" not in client.get(PAGE).get_data(as_text=True)


def test_the_form_explains_bad_input_beside_the_field_and_keeps_it(app, client, world):
    client.login(world.member.email)
    too_far = (date.today() + timedelta(days=400)).isoformat()
    response = _create(client, name="<b>Il mio</b>", scopes=[], expires_on=too_far)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Scegli almeno un ambito." in page
    assert "Al massimo 366 giorni da oggi." in page
    assert f'value="{too_far}"' in page and "&lt;b&gt;Il mio&lt;/b&gt;" in page
    response = _create(client, expires_on="domani", scopes=["nulla:read"])
    assert response.status_code == 400
    assert "Non è una data valida" in response.get_data(as_text=True)
    response = _create(client, expires_on=date.today().isoformat())
    assert "Scegli un giorno dopo oggi." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ApiToken.id))) == 0


def test_revoked_tokens_stop_at_once_and_only_their_owner_revokes(app, client, new_client,
                                                                   world):
    secret = make_token(app, world.member.id)
    token = stored_token(app, user_id=world.member.id)
    other = new_client()
    other.login(world.outsider.email)
    assert other.post(f"{PAGE}/{token.id}/revoca").status_code == 404
    assert api(app, "/api/v1/spaces", secret).status_code == 200

    client.login(world.member.email)
    response = client.post(f"{PAGE}/{token.id}/revoca", follow_redirects=True)
    assert "revocato" in response.get_data(as_text=True)
    answer = api(app, "/api/v1/spaces", secret)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "token_revoked"
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_unknown_and_missing_tokens_are_401_in_json(app, world, clock):
    secret = make_token(app, world.member.id, days=1)
    assert api(app, "/api/v1/spaces", secret).status_code == 200
    clock.travel(date.today() + timedelta(days=3))
    expired = api(app, "/api/v1/spaces", secret)
    assert expired.status_code == 401 and expired.get_json()["error"]["code"] == "token_expired"
    unknown = api(app, "/api/v1/spaces", "cop_" + "x" * 43)
    assert unknown.get_json()["error"]["code"] == "invalid_token"
    missing = api(app, "/api/v1/spaces")
    assert missing.status_code == 401 and missing.is_json
    assert missing.get_json()["error"]["code"] == "missing_token"
    basic = api(app, "/api/v1/spaces", headers={"Authorization": "Basic YTpi"})
    assert basic.status_code == 401 and basic.is_json


def test_a_browser_session_never_opens_the_api(app, client, world):
    client.login(world.admin.email)
    response = client.get("/api/v1/spaces")
    assert response.status_code == 401 and response.is_json
    assert "Set-Cookie" not in response.headers


def test_a_deactivated_owner_token_stops(app, world):
    secret = make_token(app, world.member.id)
    with app.app_context():
        db.session.get(User, world.member.id).active = False
        db.session.commit()
    response = api(app, "/api/v1/spaces", secret)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"


def test_a_token_reads_only_within_its_scopes(app, world):
    secret = make_token(app, world.coordinator.id, scopes=["spaces:read"])
    assert api(app, "/api/v1/spaces", secret).status_code == 200
    for path in ("/api/v1/practices", "/api/v1/meetings", "/api/v1/dashboards",
                 f"/api/v1/dashboards/spaces/{world.reserved.slug}"):
        response = api(app, path, secret)
        assert response.status_code == 403, path
        assert response.get_json()["error"]["code"] == "insufficient_scope"


def test_the_data_export_lists_tokens_without_their_secret(app, client, world):
    secret = make_token(app, world.member.id, name="Per il cruscotto")
    client.login(world.member.email)
    export = client.get("/profilo/dati.json").get_json()
    [token] = export["api_tokens"]
    assert token["name"] == "Per il cruscotto" and secret not in str(export)
    assert stored_token(app, user_id=world.member.id).token_hash not in str(export)


def test_deleting_the_account_removes_its_tokens(app, world):
    from cop.account import services as account_services

    secret = make_token(app, world.member.id)
    with app.app_context():
        account_services.delete_account(db.session.get(User, world.member.id))
        db.session.commit()
        assert db.session.scalar(select(func.count(ApiToken.id))) == 0
    assert api(app, "/api/v1/", secret).status_code == 401


def test_the_token_page_costs_the_same_statements_with_more_tokens(app, client, world,
                                                                   count_queries):
    client.login(world.member.email)
    counts = []
    for made in (1, 5):
        while len(_tokens(app, world.member.id)) < made:
            make_token(app, world.member.id, name=f"Token {made}")
        client.get(PAGE)  # warm: the session's first reads
        with count_queries() as statements:
            page = client.get(PAGE).get_data(as_text=True)
        assert page.count("<code>cop_") == made
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def _tokens(app, user_id):
    with app.app_context():
        return db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == user_id)).all()
