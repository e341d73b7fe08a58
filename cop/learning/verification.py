"""The public check of a learning attestation, without signing in: a form where anyone types
the code printed on it, and the direct link /verifica/<code> printed beside it. The answer
shows the holder's name, the path, the completion date and the hours: nothing else (no email,
organisation or space). A code that is not an attestation's, however it is written, gets the
same «not found» page with status 404; the checks are rate-limited per address."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for

from cop.extensions import limiter
from cop.learning import queries, services
from cop.learning.blueprint import verification_bp as bp


def _limit() -> str:
    return current_app.config["ATTESTATION_CHECK_RATE_LIMIT"]


# One budget for both pages: typing codes in the form and trying links count together.
_checks = limiter.shared_limit(_limit, scope="attestation-check",
                               exempt_when=lambda: request.endpoint == "verification.form"
                               and "codice" not in request.args)


@bp.route("/verifica")
@_checks
def form():
    typed = request.args.get("codice")
    if typed is None:
        return render_template("learning/verification.html", typed="", error=None)
    if not typed.strip():
        return render_template("learning/verification.html", typed="", error="empty"), 400
    code = services.normalise_code(typed)
    if code is not None and queries.attestation_by_code(code) is not None:
        return redirect(url_for("verification.show", code=services.format_code(code)))
    # What was typed goes back in the field, unless it cannot be a code at all.
    kept = typed if len(typed) <= 40 and typed.isprintable() else ""
    return render_template("learning/verification.html", typed=kept, error="missing"), 404


@bp.route("/verifica/<path:code>")
@_checks
def show(code):
    normal = services.normalise_code(code)
    found = queries.attestation_by_code(normal) if normal else None
    if found is None:
        return render_template("learning/verification.html", typed="", error="missing"), 404
    # A name on a public page: for whom has the code, not for search engines.
    return render_template("learning/verification_result.html", attestation=found), 200, \
        {"X-Robots-Tag": "noindex, nofollow"}
