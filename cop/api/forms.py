"""Forms of the token pages: making a token, revoking one."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cop.api.models import SCOPES
from cop.api.services import MAX_LIFETIME_DAYS, last_valid_day
from cop.forms import FlaskForm
from cop.search.forms import DayField

SCOPE_LABELS = {
    "spaces:read": _l("Spazi: leggere gli spazi che vedi"),
    "practices:read": _l("Buone pratiche: leggere le schede pubblicate che puoi leggere"),
    "meetings:read": _l("Incontri: leggere gli incontri che vedi, con decisioni e azioni"),
    "dashboard:read": _l("Cruscotti: leggere i cruscotti che puoi consultare"),
}
DEFAULT_DAYS = 90


class ScopesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TokenForm(FlaskForm):
    name = StringField(_l("Nome del token"), validators=[DataRequired(), Length(min=2, max=100)],
                       description=_l("Per ricordarti a cosa serve, per esempio «Monitoraggio "
                                      "regionale 2027»."))
    scopes = ScopesField(_l("Che cosa può leggere"),
                         choices=[(s, SCOPE_LABELS[s]) for s in SCOPES])
    expires_on = DayField(_l("Valido fino al (compreso)"),
                          validators=[InputRequired(message=_l("Indica fino a quando vale."))],
                          description=_l("Al massimo un anno da oggi."),
                          render_kw={"type": "date"})

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if not self.is_submitted() and self.expires_on.data is None:
            self.expires_on.data = today + timedelta(days=DEFAULT_DAYS)

    def validate_scopes(self, field):
        # Not DataRequired: it would mark every checkbox `required`, as if all were needed.
        if not field.data:
            raise ValidationError(_l("Scegli almeno un ambito."))

    def validate_expires_on(self, field):
        if field.data is None:  # not a date: the field already says so
            return
        if field.data <= self.today:
            raise ValidationError(_l("Scegli un giorno dopo oggi."))
        if field.data > last_valid_day(self.today):
            raise ValidationError(ngettext("Al massimo %(num)d giorno da oggi.",
                                           "Al massimo %(num)d giorni da oggi.",
                                           MAX_LIFETIME_DAYS))


class RevokeForm(FlaskForm):
    pass
