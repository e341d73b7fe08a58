from sqlalchemy import func, select

from cop.auth.models import LoginSession
from cop.extensions import db


def test_sign_in_shows_the_person_and_sign_out_ends_the_session(client, world):
    response = client.login(world.member.email)
    assert response.headers["Location"] == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Membro Alleanza" in home and "Alleanza Bergamo 1" in home

    client.logout()
    response = client.get("/spazi/miei")
    assert response.status_code == 302 and "/accedi" in response.headers["Location"]


def test_wrong_password_keeps_the_email_and_says_why(client, world):
    response = client.post("/accedi", {"email": world.member.email, "password": "sbagliata-123"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Email o password non corretti" in page
    assert f'value="{world.member.email}"' in page


def test_inactive_account_cannot_sign_in(client, factory):
    person = factory.user(active=False)
    response = client.post("/accedi", {"email": person.email, "password": person.password})
    assert "Email o password non corretti" in response.get_data(as_text=True)


def test_logout_really_ends_the_server_session(app, client, new_client, world):
    client.login(world.member.email)
    stolen_cookie = client.http.get_cookie("session").value
    client.logout()

    replay = new_client()
    replay.http.set_cookie("session", stolen_cookie)
    response = replay.get("/spazi/miei")
    assert response.status_code == 302, "a copied cookie must not outlive sign-out"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginSession)) == 0


def test_sign_in_starts_a_new_session(client, world):
    client.get("/accedi")
    before = client.http.get_cookie("session").value
    client.login(world.member.email)
    assert client.http.get_cookie("session").value != before


def test_open_redirect_is_refused(client, world):
    response = client.post("/accedi?next=https://evil.example/", {
        "email": world.member.email, "password": world.member.password, "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_eleventh_failure_in_a_minute_is_refused(client, world):
    for _ in range(10):
        response = client.post("/accedi",
                               {"email": world.member.email, "password": "sbagliata-123"})
        assert response.status_code == 200
    response = client.post("/accedi",
                           {"email": world.member.email, "password": world.member.password})
    assert response.status_code == 429
    assert "Troppi tentativi" in response.get_data(as_text=True)


def test_successful_sign_ins_do_not_count_towards_the_limit(client, world):
    for _ in range(12):
        client.login(world.member.email)
        client.logout()


def test_a_session_older_than_the_remember_duration_is_over(app, client, world):
    from datetime import timedelta

    client.login(world.member.email)
    assert client.get("/spazi/miei").status_code == 200
    with app.app_context():
        for login in db.session.scalars(select(LoginSession)):
            login.created_at = (login.created_at - app.config["REMEMBER_COOKIE_DURATION"]
                                - timedelta(minutes=1))
        db.session.commit()
    assert client.get("/spazi/miei").status_code == 302
