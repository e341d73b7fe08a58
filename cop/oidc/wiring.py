"""Everything cop.oidc plugs into the app: the provider's client (when the installation
configures one) and the logout at the provider's end, its pages, the linked identities on
the profile page (a template global) and in the person's data export."""
from __future__ import annotations

from flask import Flask

from cop.account.services import register_collector
from cop.oidc import (
    client,
    services,
    views,  # noqa: F401  (its routes attach to bp on import)
)
from cop.oidc.blueprint import bp


def init_app(app: Flask) -> None:
    mode = app.config["OIDC_FIRST_SIGN_IN"]
    if mode not in services.FIRST_SIGN_IN_MODES:
        raise RuntimeError(f"COP_OIDC_FIRST_SIGN_IN is {mode!r}: one of "
                           f"{', '.join(services.FIRST_SIGN_IN_MODES)}")
    if client.configured(app) and "openid" not in str(app.config["OIDC_SCOPES"]).split():
        raise RuntimeError("COP_OIDC_SCOPES must include openid: without it there is no ID "
                           "token, nor its nonce, to check")
    client.init_app(app)
    app.register_blueprint(bp)
    app.add_template_global(services.linked_identities, "oidc_identities")
    app.add_template_global(client.configured, "oidc_configured")
    register_collector("oidc", services.export)
