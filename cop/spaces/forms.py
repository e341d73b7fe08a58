from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cop.forms import FlaskForm

VISIBILITY_CHOICES = [
    ("riservato", _l("Riservato: solo i membri vedono lo spazio e i suoi contenuti")),
    ("regionale", _l("Regionale: tutte le persone registrate vedono lo spazio; "
                     "partecipano i membri")),
]
ROLE_CHOICES = [
    ("membro", _l("Membro")),
    ("facilitatore", _l("Facilitatore")),
    ("coordinatore", _l("Coordinatore")),
]


class SpaceForm(FlaskForm):
    name = StringField(_l("Nome"), validators=[DataRequired(), Length(min=3, max=160)])
    description = TextAreaField(
        _l("Descrizione"), validators=[Length(max=5000)],
        description=_l("Di cosa si occupa lo spazio e chi vi partecipa. Puoi usare Markdown."),
        render_kw={"rows": 6},
    )
    visibility = RadioField(_l("Visibilità"), choices=VISIBILITY_CHOICES, default="regionale",
                            validators=[DataRequired()])


class JoinRequestForm(FlaskForm):
    message = TextAreaField(
        _l("Messaggio per i coordinatori"), validators=[Length(max=1000)],
        description=_l("Facoltativo: presentati in due righe e di' perché vuoi partecipare."),
        render_kw={"rows": 4},
    )


class RoleForm(FlaskForm):
    role = SelectField(_l("Ruolo"), choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A bare form for POST-only actions: carries the CSRF token."""
