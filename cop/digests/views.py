"""Pages of the digests feature: the one-click unsubscribe link of every digest."""
from __future__ import annotations

from flask import abort, render_template, request

from cop.digests import services
from cop.digests.blueprint import bp
from cop.extensions import csrf
from cop.outcomes import commit_or_explain


@bp.route("/riepilogo/disiscriviti/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail clients POST here without a session; the signed token is the key
def unsubscribe(token):
    """GET asks (opening a link changes nothing: mail scanners open links); POST turns the
    person's digests off."""
    user = services.read_unsubscribe_token(token)
    if user is None:
        abort(404)
    if request.method == "GET":
        return render_template("digests/unsubscribe.html", token=token, done=False)
    done = commit_or_explain(lambda: services.unsubscribe(user))
    return render_template("digests/unsubscribe.html", token=token, done=bool(done))
