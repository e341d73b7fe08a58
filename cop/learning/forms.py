"""Learning forms: a path, a module (video, handout or reading), the buttons that change state."""
from __future__ import annotations

import re

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from cop.files.forms import attachments_field, chosen_files
from cop.forms import FlaskForm
from cop.learning import services

MARKDOWN_HELP = _l("Puoi usare Markdown: **grassetto**, elenchi con «-», link.")
KIND_CHOICES = [("video", _l("Videolezione (link al video)")),
                ("dispensa", _l("Dispensa (file da scaricare)")),
                ("lettura", _l("Lettura (testo e/o link)"))]
KIND_LABELS = {"video": _l("Videolezione"), "dispensa": _l("Dispensa"), "lettura": _l("Lettura")}


class PathForm(FlaskForm):
    title = StringField(_l("Titolo del percorso"), validators=[
        DataRequired(message=_l("Scrivi il titolo del percorso.")), Length(max=200)])
    summary = TextAreaField(_l("Presentazione"), validators=[Length(max=10000)],
                            description=MARKDOWN_HELP, render_kw={"rows": 5})
    hours = StringField(_l("Ore di formazione riconosciute"), validators=[Length(max=20)],
                        description=_l("Le ore scritte sull'attestato di chi completa il "
                                       "percorso, per esempio 2 oppure 1,5. Se lo lasci vuoto, "
                                       "vale la somma dei tempi stimati dei moduli."),
                        render_kw={"inputmode": "decimal", "autocomplete": "off"})
    submit = SubmitField(_l("Salva il percorso"))

    duration_minutes: int | None = None  # from `hours`, once validated

    def validate_hours(self, field) -> None:
        self.duration_minutes = parse_hours(field.data)

    def load(self, path) -> None:
        self.title.data, self.summary.data = path.title, path.summary
        self.hours.data = hours_text(path.duration_minutes) if path.duration_minutes else ""


_HOURS = re.compile(r"^(\d{1,3})(?:[.,](\d{1,2}))?$")


def parse_hours(text: str | None) -> int | None:
    """«1,5» or «1.5» hours (up to two decimals, from 0,25 to 500) as minutes; empty: None."""
    text = (text or "").strip()
    if not text:
        return None
    match = _HOURS.match(text)
    if not match:
        raise ValidationError(_l("Scrivi un numero di ore, per esempio 2 oppure 1,5."))
    hours = int(match.group(1)) + int((match.group(2) or "0").ljust(2, "0")) / 100
    minutes = round(hours * 60)
    if not 15 <= minutes <= services.MAX_DURATION_MINUTES:
        raise ValidationError(_l("Indica da 0,25 a 500 ore, oppure lascia vuoto."))
    return minutes


def hours_text(minutes: int | None) -> str:
    """Minutes as hours in the reader's language («1,5»), at most two decimals."""
    return format_decimal(round((minutes or 0) / 60, 2), format="#,##0.##")


class ModuleForm(FlaskForm):
    kind = RadioField(_l("Tipo di modulo"), choices=KIND_CHOICES, default="lettura",
                      validators=[DataRequired(message=_l("Scegli il tipo di modulo."))])
    title = StringField(_l("Titolo del modulo"), validators=[
        DataRequired(message=_l("Scrivi il titolo del modulo.")), Length(max=200)])
    minutes = IntegerField(_l("Tempo stimato, in minuti"), validators=[
        Optional(), NumberRange(min=1, max=600, message=_l("Da 1 a 600 minuti."))])
    description = TextAreaField(_l("Descrizione"), validators=[Length(max=5000)],
                                description=MARKDOWN_HELP, render_kw={"rows": 3})
    url = StringField(_l("Link"), validators=[Length(max=500)],
                      description=_l("Per una videolezione, il link al video (per esempio su "
                                     "YouTube o Vimeo); per una lettura, facoltativo."))
    body = TextAreaField(_l("Testo della lettura"), validators=[Length(max=50000)],
                         description=MARKDOWN_HELP, render_kw={"rows": 8})
    files = attachments_field(_l("File della dispensa"))
    submit = SubmitField(_l("Salva il modulo"))

    existing_attachments = 0  # set when editing, so the count limit includes them

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        url = (self.url.data or "").strip()
        kind = self.kind.data
        if url and not services.is_web_address(url):
            self.url.errors = list(self.url.errors) + [
                str(_l("Scrivi un indirizzo web completo, che inizia con https://."))]
            valid = False
        elif kind == "video" and not url:
            self.url.errors = list(self.url.errors) + [
                str(_l("Per una videolezione serve il link al video."))]
            valid = False
        if kind == "dispensa" and not chosen_files(self.files) and not self.existing_attachments:
            self.files.errors = list(self.files.errors) + [
                str(_l("Per una dispensa carica almeno un file."))]
            valid = False
        if kind == "lettura" and not url and not (self.body.data or "").strip():
            self.body.errors = list(self.body.errors) + [
                str(_l("Per una lettura scrivi il testo o indica il link."))]
            valid = False
        return valid

    def load(self, module) -> None:
        for name in ("kind", "title", "minutes", "description", "url", "body"):
            getattr(self, name).data = getattr(module, name)

    def module_input(self) -> services.ModuleInput:
        return services.ModuleInput(
            kind=self.kind.data, title=self.title.data.strip(), minutes=self.minutes.data,
            description=self.description.data or "", url=(self.url.data or "").strip(),
            body=self.body.data or "")


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""

    submit = SubmitField(_l("Conferma"))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])
