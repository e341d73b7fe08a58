"""The installation's OpenID Connect client (Authlib's Flask client), one per app.

Discovery is lazy: the provider's .well-known/openid-configuration is read at the first
sign-in, not when the app starts, so the site starts while the provider is away. Authlib
checks the ID token's signature (the provider's JWKS, only the algorithms its discovery
document lists), iss, aud, exp, iat, nonce and at_hash; the client adds PKCE (S256) and the
state to every authorization request."""
from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, session, url_for
from joserfc.errors import JoseError

log = logging.getLogger(__name__)

NAME = "oidc"
ID_TOKEN_KEY = "oidc_id_token"  # in the Flask session: the hint for the provider's logout
# What can go wrong talking to the provider: its answers refused (state, token endpoint),
# the ID token refused (signature, claims), the provider unreachable or answering nonsense.
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError,
                   KeyError, RuntimeError)


def configured(app: Flask | None = None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def issuer() -> str:
    return current_app.config["OIDC_ISSUER"]


def init_app(app: Flask) -> None:
    if not configured(app):
        return
    oauth = OAuth(app)  # kept in app.extensions["authlib.integrations.flask_client"]
    config = app.config
    oauth.register(
        NAME,
        # str(): a COP_ variable of digits only reads as a number (from_prefixed_env)
        client_id=str(config["OIDC_CLIENT_ID"]),
        client_secret=str(config["OIDC_CLIENT_SECRET"] or ""),
        server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": config["OIDC_HTTP_TIMEOUT"],
        },
    )
    app.extensions["cop.sign_out_redirect"] = provider_logout_url


def client():
    return current_app.extensions["authlib.integrations.flask_client"].create_client(NAME)


def metadata() -> dict:
    """The provider's discovery document, refused when it names another issuer (OpenID
    Connect Discovery §4.3: a document served for one issuer must not speak for another)."""
    found = client().load_server_metadata()
    if found.get("issuer") != issuer():
        raise ValueError(f"the discovery document names issuer {found.get('issuer')!r}")
    return found


def provider_logout_url() -> str | None:
    """RP-initiated logout: the provider's end_session_endpoint, when the person signed in
    through it and the provider has one; they come back to the sign-in page."""
    id_token = session.get(ID_TOKEN_KEY)
    if not id_token:
        return None
    try:
        if not metadata().get("end_session_endpoint"):
            return None
        return client().create_logout_url(
            post_logout_redirect_uri=url_for("auth.login", _external=True),
            id_token_hint=id_token, client_id=str(current_app.config["OIDC_CLIENT_ID"]))["url"]
    except PROVIDER_ERRORS as error:  # the provider away: the local sign-out still happens
        log.warning("identity provider's logout unavailable: %s", error)
        return None


def with_userinfo(token: dict, claims: dict) -> dict:
    """The ID token's claims, completed from the userinfo endpoint when they lack the email
    (some providers put it only there); userinfo about another subject is refused."""
    email_claim = current_app.config["OIDC_EMAIL_CLAIM"]
    if claims.get(email_claim) or not metadata().get("userinfo_endpoint"):
        return claims
    info = client().userinfo(token=token)
    if info.get("sub") != claims.get("sub"):
        raise ValueError("userinfo speaks of another subject than the ID token")
    for key in (email_claim, "email_verified", "name", "given_name", "family_name"):
        if key in info and key not in claims:
            claims[key] = info[key]
    return claims
