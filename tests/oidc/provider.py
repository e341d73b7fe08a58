"""A small, real OpenID Connect provider for the tests, served over HTTP on loopback.

Not a mock of the client library: a werkzeug app on a free port, in a thread, speaking the
protocol as a region's Keycloak or a SPID/CIE gateway would (authorization code flow):

- /.well-known/openid-configuration: discovery; /jwks: an RSA key generated at start;
- /authorize: checks client_id, redirect_uri, response_type, the openid scope and the PKCE
  code_challenge (S256 only); the person is the one the test set in `provider.person` (as if
  already signed in at the provider) and gets a code, single use once exchanged;
- /token: checks the client's secret (HTTP Basic or in the form), the code, its redirect_uri
  and the PKCE code_verifier; issues an access token and an ID token signed RS256 (iss, sub,
  aud, exp, iat, nonce, at_hash and the person's claims);
- /userinfo: the person's claims for a bearer access token;
- /end_session: RP-initiated logout, recorded, then back to post_logout_redirect_uri.

The ID token is signed with `cryptography` directly, not with the library the app uses.
`provider.misbehave` makes it break the rules on demand: "bad_nonce", "bad_signature"
(signed with another key under the same kid), "wrong_audience", "wrong_issuer" (in the ID
token), "expired", "email_only_in_userinfo", "no_end_session", "userinfo_other_subject",
"discovery_other_issuer" (a discovery document speaking for another issuer).
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID = "cop-test"
CLIENT_SECRET = "segreto-del-client-di-prova"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _uint(number: int) -> str:
    return b64url(number.to_bytes((number.bit_length() + 7) // 8, "big"))


def s256(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode()).digest())


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "chiave-1"
        self.issuer = ""  # set once the server has its port
        self.clients = {CLIENT_ID: {"secret": CLIENT_SECRET, "redirect_uris": set()}}
        self.person: dict = {}
        self.misbehave: set[str] = set()
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.token_requests: list[dict] = []
        self.logouts: list[dict] = []

    # --- what a test sets -----------------------------------------------------------------
    def sign_in_as(self, sub: str, email: str | None = None, email_verified=True, **claims):
        self.person = {"sub": sub, **claims}
        if email is not None:
            self.person.update(email=email, email_verified=email_verified)

    def allow_redirect(self, uri: str) -> None:
        self.clients[CLIENT_ID]["redirect_uris"].add(uri)

    # --- the protocol ---------------------------------------------------------------------
    def __call__(self, environ, start_response):
        request = Request(environ)
        handler = {
            "/.well-known/openid-configuration": self.discovery, "/jwks": self.jwks,
            "/authorize": self.authorize, "/token": self.token, "/userinfo": self.userinfo,
            "/end_session": self.end_session,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", 404)
        return response(environ, start_response)

    @staticmethod
    def _json(data: dict, status: int = 200) -> Response:
        return Response(json.dumps(data), status, content_type="application/json",
                        headers={"Cache-Control": "no-store"})

    def _error(self, error: str, description: str, status: int = 400) -> Response:
        return self._json({"error": error, "error_description": description}, status)

    def discovery(self, request: Request) -> Response:
        document = {
            "issuer": self.issuer if "discovery_other_issuer" not in self.misbehave
            else f"{self.issuer}/altro",
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "scopes_supported": ["openid", "email", "profile"],
        }
        if "no_end_session" not in self.misbehave:
            document["end_session_endpoint"] = f"{self.issuer}/end_session"
        return self._json(document)

    def jwks(self, request: Request) -> Response:
        numbers = self.key.public_key().public_numbers()
        return self._json({"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256",
                                     "kid": self.kid, "n": _uint(numbers.n),
                                     "e": _uint(numbers.e)}]})

    def authorize(self, request: Request) -> Response:
        args = request.args
        self.authorize_requests.append(dict(args))
        client = self.clients.get(args.get("client_id", ""))
        if client is None:
            return Response("unknown client_id", 400)
        redirect_uri = args.get("redirect_uri", "")
        if redirect_uri not in client["redirect_uris"]:
            return Response("redirect_uri not registered for this client", 400)

        def back(**params):
            if args.get("state"):
                params["state"] = args["state"]
            return Response(status=302, headers={
                "Location": f"{redirect_uri}?{urlencode(params)}"})

        if args.get("response_type") != "code":
            return back(error="unsupported_response_type")
        if "openid" not in args.get("scope", "").split():
            return back(error="invalid_scope", error_description="openid is required")
        if not args.get("code_challenge") or args.get("code_challenge_method") != "S256":
            return back(error="invalid_request", error_description="PKCE S256 is required")
        if not self.person:
            return back(error="access_denied", error_description="nobody signed in")
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"client_id": args["client_id"], "redirect_uri": redirect_uri,
                            "challenge": args["code_challenge"], "nonce": args.get("nonce"),
                            "person": dict(self.person)}
        return back(code=code)

    def _client_credentials(self, request: Request) -> tuple[str, str]:
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            return auth.username or "", auth.password or ""
        return request.form.get("client_id", ""), request.form.get("client_secret", "")

    def token(self, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        client_id, secret = self._client_credentials(request)
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(secret, client["secret"]):
            return self._error("invalid_client", "client authentication failed", 401)
        if form.get("grant_type") != "authorization_code":
            return self._error("unsupported_grant_type", "only authorization_code")
        grant = self.codes.get(form.get("code", ""))
        if grant is None or grant["client_id"] != client_id:
            return self._error("invalid_grant", "unknown or used code")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return self._error("invalid_grant", "redirect_uri differs from the authorization")
        verifier = form.get("code_verifier")
        if not verifier:
            return self._error("invalid_grant", "PKCE code_verifier missing")
        if not secrets.compare_digest(s256(verifier), grant["challenge"]):
            return self._error("invalid_grant", "PKCE code_verifier does not match")
        del self.codes[form["code"]]  # single use, once exchanged
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = grant["person"]
        return self._json({"access_token": access_token, "token_type": "Bearer",
                           "expires_in": 300,
                           "id_token": self.id_token(grant, client_id, access_token)})

    def id_token(self, grant: dict, client_id: str, access_token: str) -> str:
        now = int(time.time())
        person = dict(grant["person"])
        if "email_only_in_userinfo" in self.misbehave:
            for claim in ("email", "email_verified"):
                person.pop(claim, None)
        digest = hashlib.sha256(access_token.encode()).digest()
        claims = {
            **person,
            "iss": self.issuer if "wrong_issuer" not in self.misbehave
            else "http://127.0.0.1:9/altro",
            "aud": client_id if "wrong_audience" not in self.misbehave else "un-altro-client",
            "iat": now, "exp": now - 600 if "expired" in self.misbehave else now + 300,
            "nonce": grant["nonce"] if "bad_nonce" not in self.misbehave else "un-altro-nonce",
            "at_hash": b64url(digest[:16]),
        }
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = (b64url(json.dumps(header).encode()) + "."
                         + b64url(json.dumps(claims).encode())).encode()
        key = self.other_key if "bad_signature" in self.misbehave else self.key
        signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return signing_input.decode() + "." + b64url(signature)

    def userinfo(self, request: Request) -> Response:
        header = request.headers.get("Authorization", "")
        person = self.access_tokens.get(header.removeprefix("Bearer ").strip())
        if not header.startswith("Bearer ") or person is None:
            return Response(status=401,
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if "userinfo_other_subject" in self.misbehave:
            person = {**person, "sub": "qualcun-altro"}
        return self._json(person)

    def end_session(self, request: Request) -> Response:
        self.logouts.append(dict(request.args))
        target = request.args.get("post_logout_redirect_uri")
        if not target:
            return Response("Sei uscito dal fornitore di identità.", 200)
        if request.args.get("state"):
            target += "?" + urlencode({"state": request.args["state"]})
        return Response(status=302, headers={"Location": target})


@contextmanager
def running_provider():
    """A Provider served on a free loopback port for the length of the block."""
    provider = Provider()
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def app_config(provider: Provider, **overrides) -> dict:
    """The app's configuration for this provider."""
    return {"OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_BUTTON_LABEL": "Entra con SPID/CIE",
            **overrides}
