"""The checklist's one page of its own: «Nascondi la lista» (the checklist itself is
cop/onboarding/checklist.py, which cop.main.views.home shows)."""
from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from cop.onboarding import services
from cop.onboarding.blueprint import bp
from cop.onboarding.checklist import DONE_KEY
from cop.outcomes import commit_or_explain
from cop.spaces.forms import ConfirmForm


@bp.route("/benvenuto/nascondi", methods=["POST"])
@login_required
def dismiss():
    if ConfirmForm().validate_on_submit():
        if commit_or_explain(lambda: services.dismiss(current_user.id)):
            session[DONE_KEY] = current_user.id
            flash(_("Lista dei primi passi nascosta."), "info")
    else:
        flash(_("Il modulo è scaduto: riprova."), "danger")
    return redirect(url_for("main.home"))
