from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import DataRequired, InputRequired

from cop.forms import FlaskForm

FREQUENCY_CHOICES = [
    ("each", _l("Una email per ogni notifica")),
    ("daily", _l("Un riepilogo al giorno con le notifiche non ancora lette")),
    ("never", _l("Nessuna email: le notifiche restano solo nel sito")),
]
DIGEST_CHOICES = [  # cop.digests
    ("weekly", _l("Ogni settimana")),
    ("daily", _l("Ogni giorno")),
    ("never", _l("Mai")),
]


class PreferencesForm(FlaskForm):
    email_frequency = RadioField(_l("Email di notifica"), choices=FREQUENCY_CHOICES,
                                 validators=[InputRequired()])
    # Not posted: the person's current choice stays (the view passes it as the field's data).
    digest_frequency = RadioField(
        _l("Riepilogo delle novità dei tuoi spazi"), choices=DIGEST_CHOICES,
        validators=[DataRequired()],
        description=_l("Nuove discussioni e risposte, buone pratiche pubblicate, i tuoi "
                       "incontri dei prossimi giorni e le tue azioni aperte, in una email."))
