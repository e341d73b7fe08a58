from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

FREQUENCY_CHOICES = [
    ("each", _l("Una email per ogni notifica")),
    ("daily", _l("Un riepilogo al giorno con le notifiche non ancora lette")),
    ("never", _l("Nessuna email: le notifiche restano solo nel sito")),
]


class PreferencesForm(FlaskForm):
    email_frequency = RadioField(_l("Email di notifica"), choices=FREQUENCY_CHOICES,
                                 validators=[InputRequired()])
