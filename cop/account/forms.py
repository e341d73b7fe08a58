"""Forms of the person's own account: profile, password, deletion."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from cop.auth.forms import LOCALE_CHOICES, new_password_fields
from cop.forms import FlaskForm


class ProfileForm(FlaskForm):
    name = StringField(_l("Nome e cognome"), validators=[DataRequired(), Length(min=2, max=120)],
                       render_kw={"autocomplete": "name"})
    job_title = StringField(_l("Ruolo nell'organizzazione"), validators=[Length(max=160)],
                            description=_l("Per esempio: referente ATS, capofila di Alleanza, "
                                           "operatrice di rete."))
    bio = TextAreaField(_l("Presentazione"), validators=[Length(max=4000)],
                        description=_l("Di cosa ti occupi, su cosa puoi aiutare gli altri. "
                                       "Puoi usare Markdown."),
                        render_kw={"rows": 6})
    locale = SelectField(_l("Lingua dell'interfaccia e delle email"), choices=LOCALE_CHOICES)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Password attuale"), validators=[DataRequired()],
                                     render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields(lambda form: (form.user_email, form.user_name))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_email = user.email if user else ""
        self.user_name = user.name if user else ""


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("La tua password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    confirm = BooleanField(_l("Ho capito: il mio account e i miei dati verranno eliminati e "
                              "non potrò recuperarli"),
                           validators=[DataRequired(message=_l("Conferma di aver capito."))])
