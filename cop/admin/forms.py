from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, Regexp

from cop.forms import FlaskForm

SITE_ROLE_CHOICES = [
    ("membro", _l("Membro")),
    ("curatore", _l("Curatore regionale")),
    ("admin", _l("Amministratore")),
]


class PersonAdminForm(FlaskForm):
    site_role = SelectField(_l("Ruolo nella piattaforma"), choices=SITE_ROLE_CHOICES)
    organisation_id = SelectField(_l("Organizzazione"), coerce=int)
    active = BooleanField(_l("Account attivo"),
                          description=_l("Un account disattivato non può accedere; i suoi "
                                         "contributi restano visibili."))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Nome"), validators=[DataRequired(), Length(min=2, max=200)])
    entity_type_code = SelectField(_l("Tipo di ente"), validators=[DataRequired()])
    ats_id = SelectField(_l("ATS"), coerce=int)
    city = StringField(_l("Comune"), validators=[Length(max=120)])
    # Shown as a link to everybody: only web addresses, never javascript: and the like.
    website = URLField(_l("Sito web"), validators=[
        Optional(), URL(), Length(max=300),
        Regexp(r"(?i)^https?://", message=_l("Scrivi un indirizzo che inizia con https://."))])
    alleanza_ids = SelectMultipleField(
        _l("Alleanze di cui fa parte"), coerce=int,
        description=_l("Tieni premuto Ctrl (o Cmd) per sceglierne più d'una."),
        render_kw={"size": 10},
    )


class AlleanzaForm(FlaskForm):
    name = StringField(_l("Nome dell'Alleanza"),
                       validators=[DataRequired(), Length(min=3, max=160)])
    lead_organisation_id = SelectField(_l("Ente capofila"), coerce=int)
