from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from cop.auth.passwords import MAX_LENGTH, password_problems
from cop.forms import FlaskForm

LOCALE_CHOICES = [("it", "Italiano"), ("en", "English")]


class StrongPassword:
    """Checks the password policy; `identity` gives the (email, name) it must not contain."""

    def __init__(self, identity=lambda form: ("", "")):
        self.identity = identity

    def __call__(self, form, field):
        email, name = self.identity(form)
        problems = password_problems(field.data or "", email, name)
        if problems:
            raise ValidationError(" ".join(problems))


def new_password_fields(identity):
    password = PasswordField(
        _l("Nuova password"),
        validators=[DataRequired(), StrongPassword(identity)],
        description=_l("Da 10 a 128 caratteri. Una frase di più parole è facile da ricordare "
                       "e difficile da indovinare."),
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )
    confirm = PasswordField(
        _l("Ripeti la password"),
        validators=[DataRequired(), EqualTo("password", _l("Le due password non coincidono."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Resta collegato su questo dispositivo"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields(lambda form: (form.user_email, form.user_name))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_email = user.email if user else ""
        self.user_name = user.name if user else ""


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Nome e cognome"), validators=[DataRequired(), Length(min=2, max=120)],
                       render_kw={"autocomplete": "name"})
    password, confirm = new_password_fields(lambda form: (form.invited_email, form.name.data or ""))
    locale = SelectField(_l("Lingua preferita"), choices=LOCALE_CHOICES, default="it")

    def __init__(self, *args, invited_email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.invited_email = invited_email


class InviteForm(FlaskForm):
    email = EmailField(_l("Email della persona da invitare"),
                       validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Nome e cognome"), validators=[Length(max=120)],
                       description=_l("Facoltativo: lo troverà già compilato."))
    organisation_id = SelectField(_l("Organizzazione"), coerce=int,
                                  validators=[DataRequired(_l("Scegli un'organizzazione."))])
    space_id = SelectField(_l("Spazio"), coerce=int)
    space_role = SelectField(_l("Ruolo nello spazio"), choices=[
        ("membro", _l("Membro")), ("facilitatore", _l("Facilitatore")),
        ("coordinatore", _l("Coordinatore")),
    ], default="membro")
    message = TextAreaField(_l("Messaggio personale"), validators=[Length(max=2000)],
                            description=_l("Facoltativo: comparirà nell'email di invito."))
