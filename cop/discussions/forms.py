from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from cop.discussions.services import MAX_TAGS, parse_tags
from cop.files.forms import attachments_field
from cop.forms import FlaskForm

KIND_CHOICES = [
    ("domanda", _l("Domanda: chiedi un parere o un'informazione")),
    ("esperienza", _l("Esperienza: racconta cosa avete fatto e cosa avete imparato")),
    ("proposta", _l("Proposta: proponi un'idea su cui decidere insieme")),
    ("avviso", _l("Avviso: una comunicazione per lo spazio")),
]
BODY_HELP = _l("Puoi usare Markdown: **grassetto**, *corsivo*, elenchi con «-», link, «> » per "
               "citare. Scrivi @nome.cognome per menzionare una persona.")
BODY_LABEL = _l("Testo")


class TagList:
    def __call__(self, form, field):
        tags = parse_tags(field.data)
        if len(tags) > MAX_TAGS:
            raise ValidationError(_l("Al massimo %(n)d etichette.", n=MAX_TAGS))
        if any(len(t.strip()) > 40 for t in tags):
            raise ValidationError(_l("Ogni etichetta ha al massimo 40 caratteri."))


def body_field(label=BODY_LABEL):
    return TextAreaField(label, validators=[DataRequired(), Length(max=20000)],
                         description=BODY_HELP, render_kw={"rows": 10})


class PreviewMixin:
    attachments = attachments_field()
    preview = SubmitField(_l("Anteprima"))
    submit = SubmitField(_l("Pubblica"))


class ThreadForm(PreviewMixin, FlaskForm):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(min=5, max=200)])
    kind = RadioField(_l("Tipo di discussione"), choices=KIND_CHOICES, default="esperienza",
                      validators=[DataRequired()])
    body = body_field()
    tags = StringField(_l("Etichette"), validators=[TagList()],
                       description=_l("Facoltative, separate da virgole (al massimo 5): "
                                      "ad esempio «caregiver, scuola»."))


class ReplyForm(PreviewMixin, FlaskForm):
    body = body_field(_l("La tua risposta"))
    parent_id = HiddenField()


class EditPostForm(PreviewMixin, FlaskForm):
    body = body_field()
    submit = SubmitField(_l("Salva le modifiche"))


class EditOpeningForm(EditPostForm):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(min=5, max=200)])
    kind = RadioField(_l("Tipo di discussione"), choices=KIND_CHOICES, validators=[DataRequired()])
    tags = StringField(_l("Etichette"), validators=[TagList()],
                       description=_l("Separate da virgole, al massimo 5."))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Motivo"), validators=[Length(max=1000)],
                           description=_l("Lo comunichiamo all'autore."), render_kw={"rows": 3})


class MoveForm(ReasonForm):
    space_id = SelectField(_l("Sposta nello spazio"), coerce=int, validate_choice=True)


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(
        _l("Esito della proposta"), validators=[Length(max=5000)],
        description=_l("Chi ha deciso che cosa, e i prossimi passi. Lascia vuoto per toglierlo."),
        render_kw={"rows": 5})
