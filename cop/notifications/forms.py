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


CHANNEL_CHOICES = [
    ("email", _l("Nel sito e per email")),
    ("bell", _l("Solo nel sito")),
    ("off", _l("Mai")),
]
KIND_PREFIX = "kind_"


def preferences_form(kinds) -> type[PreferencesForm]:
    """The preferences form with one choice per optional kind (cop.notifications.kinds), named
    `kind_<name>`, in the kinds' order."""
    fields = {f"{KIND_PREFIX}{spec.name}": RadioField(
        spec.label, choices=CHANNEL_CHOICES, validators=[DataRequired()],
        ) for spec in kinds if spec.optional}
    return type("KindPreferencesForm", (PreferencesForm,), fields)


def kind_choices(form) -> dict[str, str]:
    return {name.removeprefix(KIND_PREFIX): field.data for name, field in form._fields.items()
            if name.startswith(KIND_PREFIX)}


def kind_groups(form, kinds) -> list[tuple[str, list]]:
    """The kind fields under their headings, in order: [(heading, [field, ...]), ...]."""
    groups: dict[str, list] = {}
    for spec in kinds:
        field = form._fields.get(f"{KIND_PREFIX}{spec.name}")
        if field is not None:
            groups.setdefault(str(spec.group), []).append(field)
    return list(groups.items())
