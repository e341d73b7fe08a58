from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from cop.forms import FlaskForm

KIND_CHOICES = [
    ("", _l("Tutti i tipi")),
    ("domanda", _l("Domanda")),
    ("esperienza", _l("Esperienza")),
    ("proposta", _l("Proposta")),
    ("avviso", _l("Avviso")),
]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)


class DayField(DateField):
    """A day from <input type="date"> (or typed as 31/12/2024), with a message people read."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Non è una data valida: scrivila come 31/12/2024.")) from None
        if self.data and not FIRST_DAY <= self.data <= LAST_DAY:
            self.data = None
            raise ValueError(_l("Scegli una data tra il 2000 e il 2999."))

    def _value(self):
        """ISO, as <input type="date"> needs, even when the day was typed 31/12/2024."""
        return self.data.isoformat() if self.data else " ".join(self.raw_data or [])


class SearchForm(FlaskForm):
    """A GET form: no CSRF token, the values stay in the address (and in the form)."""

    class Meta:
        csrf = False

    q = StringField(_l("Cerca"), validators=[Length(max=200)],
                    render_kw={"type": "search", "autocomplete": "off"})
    spazio = SelectField(_l("Spazio"), default="")  # choices: the visible spaces, set by the view
    tipo = SelectField(_l("Tipo di discussione"), choices=KIND_CHOICES, default="")
    etichetta = StringField(_l("Etichetta"), validators=[Length(max=40)])
    autore = StringField(_l("Autore"), validators=[Length(max=100)],
                         description=_l("Anche solo una parte del nome, oppure @nome.cognome."))
    dal = DayField(_l("Dal"), validators=[Optional()])
    al = DayField(_l("Al"), validators=[Optional()])

    FILTERS = ("spazio", "tipo", "etichetta", "autore", "dal", "al")

    def validate_al(self, field):
        if field.data and self.dal.data and field.data < self.dal.data:
            raise ValidationError(_l("La data finale viene prima di quella iniziale."))

    def has_filters(self) -> bool:
        return any(self[name].data for name in self.FILTERS)

    def has_question(self) -> bool:
        """Whether the person asked anything (some text, a filter, or a value that is wrong)."""
        return bool((self.q.data or "").strip()) or self.has_filters() or bool(
            any(self[name].raw_data and self[name].raw_data[0] for name in self.FILTERS))
