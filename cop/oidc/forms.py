"""The forms of cop.oidc: a button each (signing in, linking from the profile), carrying the
CSRF token and where to go next."""
from __future__ import annotations

from wtforms import HiddenField

from cop.forms import FlaskForm


class ProviderForm(FlaskForm):
    next = HiddenField()
