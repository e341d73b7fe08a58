"""Response headers and error pages: the security baseline every response gets."""
from __future__ import annotations

from flask import Flask, abort, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from cop.extensions import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Bootstrap Italia's bundle adds two fixed <style> elements; allow exactly those.
        "style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' "
        "'sha256-wPXhisdsFu1DtHYH1D9W5isSGqS5vIPn6QJWSNLqfCM='",
        "img-src 'self' data:",
        "font-src 'self' data:",  # the library's CSS embeds one icon font
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    @app.url_value_preprocessor  # the first thing a request does, before any lookup
    def _refuse_nul(endpoint, values):
        """A NUL is typed nowhere, and PostgreSQL can neither store nor compare text holding
        one. In an address it becomes U+FFFD, so the address names nothing and its view says
        so as for any unknown name; a query or form holding one is refused (400). Both
        before any query sees them."""
        for name, value in (values or {}).items():
            if isinstance(value, str) and "\x00" in value:
                values[name] = value.replace("\x00", "\ufffd")
        given = [*(v for _, v in request.args.items(multi=True)),
                 *(v for _, v in request.form.items(multi=True))]
        if any("\x00" in value for value in given):
            abort(400)

    @app.after_request
    def _security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def _error(status: int, title: str, message: str):
        return render_template("errors/error.html", status=status, title=title,
                               message=message), status

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return _error(400, _("Modulo scaduto"),
                      _("La pagina è rimasta aperta troppo a lungo o il modulo non è valido. "
                        "Torna indietro, ricarica la pagina e riprova: quello che hai scritto "
                        "potrebbe essere ancora nel modulo."))

    @app.errorhandler(400)
    def _bad_request(error):
        return _error(400, _("Richiesta non valida"),
                      _("La richiesta non è stata capita. Controlla l'indirizzo e riprova."))

    @app.errorhandler(403)
    def _forbidden(error):
        return _error(403, _("Accesso non consentito"),
                      _("Non hai i permessi per questa pagina o per questa azione."))

    @app.errorhandler(404)
    def _not_found(error):
        return _error(404, _("Pagina non trovata"),
                      _("La pagina che cerchi non esiste o non è disponibile per te."))

    @app.errorhandler(405)
    def _method_not_allowed(error):
        return _error(405, _("Operazione non consentita"),
                      _("Questo indirizzo non accetta questo tipo di richiesta."))

    @app.errorhandler(413)
    def _too_large(error):
        return _error(413, _("File troppo grande"),
                      _("Il contenuto inviato supera la dimensione massima consentita."))

    @app.errorhandler(429)
    def _too_many(error):
        return _error(429, _("Troppi tentativi"),
                      _("Hai fatto troppi tentativi in poco tempo. Attendi un minuto e riprova."))

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        return _error(500, _("Errore del sistema"),
                      _("Qualcosa è andato storto da parte nostra. Riprova tra poco."))
