from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from cop.directory.models import DetailsVisibility, LearningKind
from cop.forms import FlaskForm

LEVEL_CHOICES = [
    ("0", _l("Non indicata")),
    ("1", _l("1 · base")),
    ("2", _l("2 · intermedio")),
    ("3", _l("3 · avanzato")),
    ("4", _l("4 · posso formare altri")),
]
LEVEL_LABELS = {1: _l("base"), 2: _l("intermedio"), 3: _l("avanzato"), 4: _l("posso formare altri")}
VISIBILITY_CHOICES = [
    (DetailsVisibility.EVERYBODY.value, _l("Tutte le persone registrate")),
    (DetailsVisibility.SHARED_SPACES.value,
     _l("Solo le persone con cui condivido almeno uno spazio")),
]
LEARNING_CHOICES = [
    (LearningKind.COURSE.value, _l("Corso")),
    (LearningKind.WORKSHOP.value, _l("Laboratorio")),
    (LearningKind.CONFERENCE.value, _l("Convegno o seminario")),
    (LearningKind.OTHER.value, _l("Altro")),
]
LEARNING_LABELS = dict(LEARNING_CHOICES)


def skill_field_name(code: str) -> str:
    return f"skill_{code}"


class DetailsForm(FlaskForm):
    """Visibility, topics, languages; one level field per skill is added by `details_form`."""

    visibility = RadioField(_l("Chi può vedere i dettagli del tuo profilo"),
                            choices=VISIBILITY_CHOICES,
                            default=DetailsVisibility.EVERYBODY.value,
                            validators=[InputRequired()],
                            description=_l("Nome e organizzazione sono sempre visibili alle "
                                           "persone registrate. I dettagli sono presentazione, "
                                           "competenze, temi, lingue, formazione e offerta come "
                                           "formatore."))
    topics = TextAreaField(_l("Temi di cui ti occupi"), validators=[Length(max=1500)],
                           description=_l("Parole libere, separate da virgole: per esempio "
                                          "«caregiver, smart working, nidi aziendali»."),
                           render_kw={"rows": 3})
    languages = StringField(_l("Lingue che parli"), validators=[Length(max=300)],
                            description=_l("Per esempio: italiano, inglese, arabo."))


def details_form(catalogue, *args, **kwargs) -> DetailsForm:
    """The form with a level field for each of the taxonomy's skills."""

    class Form(DetailsForm):
        pass

    for _group, skills in catalogue:
        for skill in skills:
            setattr(Form, skill_field_name(skill.code),
                    SelectField(skill.label, choices=LEVEL_CHOICES, default="0"))
    return Form(*args, **kwargs)


class LearningForm(FlaskForm):
    title = StringField(_l("Che cosa hai seguito"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Il titolo del corso, del laboratorio o del convegno."))
    kind = SelectField(_l("Tipo"), choices=LEARNING_CHOICES)
    provider = StringField(_l("Chi l'ha organizzato"), validators=[Length(max=200)])
    year = IntegerField(_l("Anno"), validators=[
        InputRequired(message=_l("Scrivi l'anno, per esempio 2024.")),
        NumberRange(min=1970, max=date.today().year + 1,
                    message=_l("Scrivi un anno tra il 1970 e il prossimo."))],
                        render_kw={"inputmode": "numeric"})


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TrainerForm(FlaskForm):
    topics = TextAreaField(_l("Temi su cui puoi formare o accompagnare altri"),
                           validators=[DataRequired(), Length(max=1500)],
                           description=_l("Separati da virgole."), render_kw={"rows": 3})
    in_person = BooleanField(_l("In presenza"))
    online = BooleanField(_l("Online"))
    availability = TextAreaField(_l("Disponibilità"), validators=[Length(max=500)],
                                 description=_l("Quando e quanto: per esempio «due mezze "
                                                "giornate al mese, non in agosto»."),
                                 render_kw={"rows": 2})
    territories = MultiCheckboxField(_l("Territori che puoi raggiungere in presenza"), coerce=int,
                                     validate_choice=True)


class EndorseForm(FlaskForm):
    note = StringField(_l("Una nota (facoltativa)"), validators=[Length(max=300)],
                       description=_l("Per esempio: «abbiamo lavorato insieme al piano di smart "
                                      "working del Comune»."))


class ContactForm(FlaskForm):
    subject = StringField(_l("Oggetto"), validators=[DataRequired(), Length(max=150)])
    message = TextAreaField(_l("Messaggio"), validators=[DataRequired(), Length(min=10, max=5000)],
                            render_kw={"rows": 8})


class SearchForm(FlaskForm):
    """A GET form: the values stay in the address. Choices are set by the view."""

    class Meta:
        csrf = False

    q = StringField(_l("Una competenza, o parole della presentazione e dei temi"),
                    validators=[Length(max=200)],
                    render_kw={"type": "search", "autocomplete": "off"})
    competenza = MultiCheckboxField(_l("Competenze"), validate_choice=True)
    livello = SelectField(_l("Livello minimo"), default="1", choices=[
        ("1", _l("Qualsiasi livello")), ("2", _l("Almeno intermedio")),
        ("3", _l("Almeno avanzato")), ("4", _l("Può formare altri"))])
    ats = SelectField(_l("ATS"), default="")
    alleanza = SelectField(_l("Alleanza"), default="")
    tipo = SelectField(_l("Tipo di organizzazione"), default="")
    formatore = BooleanField(_l("Solo chi si offre come formatore o mentore"))


class TrainersForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Tema o competenza"), validators=[Length(max=200)],
                    render_kw={"type": "search", "autocomplete": "off"})
    ats = SelectField(_l("Territorio"), default="")
    online = BooleanField(_l("Solo chi forma anche online"))
