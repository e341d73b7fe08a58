"""How the identity provider's routes answer each kind of person (merged into
tests/core/test_route_access.py). That file's app has no provider configured: each route
answers 404 (tests/oidc/test_sign_in.py requests them with one); linking from the profile
asks who you are first. Unlinking an identity is the administrators' (it works with no provider
configured too: an installation that drops its provider may tidy up)."""
from __future__ import annotations

from cop.extensions import db
from cop.oidc.models import OidcIdentity

GET_ROUTES: dict = {
    "oidc.start": (404, 404, 404, 404, 404),
    "oidc.callback": (404, 404, 404, 404, 404),
    "oidc.link": ("login", 404, 404, 404, 404),
}
POST_ROUTES: dict = {
    "oidc.unlink": "admin",
}


def route_args(app, world, factory) -> dict:
    """An identity at a provider linked to the member (whose id is the matrix's user_id)."""
    with app.app_context():
        identity = OidcIdentity(issuer="https://idp.example.it", subject="sub-membro",
                                user_id=world.member.id, email=world.member.email)
        db.session.add(identity)
        db.session.commit()
        return {"identity_id": identity.id}
