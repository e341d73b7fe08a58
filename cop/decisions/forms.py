"""GroupDecision forms: opening one, taking a position (built for each decision: its options), the
outcome."""
from __future__ import annotations

from datetime import date, time, timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from cop.database import utcnow
from cop.decisions import services
from cop.decisions.models import DecisionKind, GroupDecision, Position
from cop.forms import FlaskForm
from cop.meetings.times import NonexistentTime, local, to_utc
from cop.search.forms import DayField
from cop.text import one_line

KIND_CHOICES = [
    (DecisionKind.PROPOSAL.value, _l("Proposta: d'accordo, mi astengo, in disaccordo o blocco, "
                                     "con una motivazione")),
    (DecisionKind.POLL.value, _l("Sondaggio: una o più scelte tra le opzioni")),
    (DecisionKind.SCORE.value, _l("Punteggio: un voto a ogni opzione su una scala")),
]
KIND_NAMES = {DecisionKind.PROPOSAL.value: _l("Proposta"), DecisionKind.POLL.value: _l("Sondaggio"),
              DecisionKind.SCORE.value: _l("Punteggio")}
SCALE_CHOICES = [("1-5", _l("da 1 a 5")), ("0-10", _l("da 0 a 10"))]
POSITION_LABELS = {
    Position.AGREE.value: _l("D'accordo"),
    Position.ABSTAIN.value: _l("Mi astengo"),
    Position.DISAGREE.value: _l("In disaccordo"),
    Position.BLOCK.value: _l("Blocco"),
}
MARKDOWN_HELP = _l("Puoi usare Markdown: **grassetto**, elenchi con «-», link.")


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def option_lines(text: str | None) -> list[str]:
    return [line for line in (one_line(raw).strip() for raw in (text or "").splitlines())
            if line]


class ClosingForm(FlaskForm):
    """When a decision closes; also the form that moves the closing of an open decision, or
    reopens a closed one whose outcome is not written yet."""

    closes_day = DayField(_l("Si chiude il giorno"), validators=[
        InputRequired(message=_l("Indica il giorno di chiusura."))])
    closes_time = TimeField(_l("alle ore (ora italiana)"), validators=[
        InputRequired(message=_l("Indica l'ora di chiusura."))])
    submit = SubmitField(_l("Cambia la chiusura"))

    def suggest_closing(self, days: int, current=None) -> None:
        """Fills the closing: `current` when still ahead, else in `days` days at 18:00."""
        if current is not None and current > utcnow():
            self.closes_day.data, self.closes_time.data = local(current).date(), \
                local(current).time().replace(second=0, microsecond=0)
            return
        self.closes_day.data = local(utcnow()).date() + timedelta(days=days)
        self.closes_time.data = time(18, 0)

    def closes_at(self):
        """The closing instant, or None after putting the reason beside the field."""
        day: date | None = self.closes_day.data
        at: time | None = self.closes_time.data
        if day is None or at is None:
            return None
        try:
            instant = to_utc(day, at)
        except NonexistentTime:
            self.closes_time.errors = [*self.closes_time.errors, gettext(
                "Quest'ora non esiste quel giorno (cambio dell'ora legale): scegline un'altra.")]
            return None
        if instant <= utcnow():
            self.closes_day.errors = [*self.closes_day.errors, gettext(
                "La chiusura deve essere nel futuro.")]
            return None
        if instant > utcnow() + services.MAX_DURATION:
            self.closes_day.errors = [*self.closes_day.errors, gettext(
                "La chiusura può essere al massimo tra un anno.")]
            return None
        return instant


class DecisionForm(ClosingForm):
    kind = RadioField(_l("Tipo di decisione"), choices=KIND_CHOICES,
                      default=DecisionKind.PROPOSAL.value,
                      validators=[InputRequired(message=_l("Scegli il tipo di decisione."))])
    title = StringField(_l("Che cosa si decide"), validators=[
        DataRequired(message=_l("Scrivi che cosa si decide.")), Length(max=200)],
        description=_l("Per esempio: «Il prossimo tema della comunità è la conciliazione per "
                       "chi assiste un familiare»."))
    details = TextAreaField(_l("Spiegazione"), validators=[Optional(), Length(max=10000)],
                            description=MARKDOWN_HELP, render_kw={"rows": 4})
    options = TextAreaField(_l("Opzioni (una per riga)"), validators=[Length(max=6000)],
                            description=_l("Per il sondaggio e il punteggio: da 2 a 20 opzioni."),
                            render_kw={"rows": 4})
    multiple = BooleanField(_l("Sondaggio: si possono scegliere più opzioni"))
    anonymous = BooleanField(_l("Sondaggio o punteggio anonimo: si vedono solo i conteggi, "
                                "mai chi ha scelto cosa (e niente motivazioni)"))
    scale = SelectField(_l("Scala del punteggio"), choices=SCALE_CHOICES, default="1-5")
    item_id = SelectField(_l("Punto dell'ordine del giorno"), validators=[
        InputRequired(message=_l("Scegli il punto dell'ordine del giorno."))])
    submit = SubmitField(_l("Apri la decisione"))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        if items is None:
            del self.item_id
        else:
            self.item_id.choices = [("", _l("— scegli —"))] + [
                (str(item.id), f"{n}. {item.title}") for n, item in enumerate(items, 1)]
        if not self.is_submitted():
            self.suggest_closing(7)

    def validate_options(self, field) -> None:
        if self.kind.data == DecisionKind.PROPOSAL.value:
            return
        lines = option_lines(field.data)
        if not services.MIN_OPTIONS <= len(lines) <= services.MAX_OPTIONS:
            raise ValidationError(gettext("Scrivi da 2 a 20 opzioni, una per riga."))
        if any(len(line) > 200 for line in lines):
            raise ValidationError(gettext("Ogni opzione ha al massimo 200 caratteri."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError(gettext("Le opzioni devono essere diverse tra loro."))

    def data_for_service(self, closes_at) -> services.DecisionInput:
        return services.DecisionInput(
            kind=self.kind.data, title=self.title.data, closes_at=closes_at,
            details=self.details.data or "", options=option_lines(self.options.data),
            multiple=bool(self.multiple.data), anonymous=bool(self.anonymous.data),
            scale=self.scale.data or "1-5")


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("Esito"), validators=[
        DataRequired(message=_l("Scrivi l'esito.")), Length(max=10000)],
        description=_l("Che cosa si è deciso e che cosa succede ora. Puoi usare Markdown."),
        render_kw={"rows": 4})
    submit = SubmitField(_l("Salva l'esito"))


def score_field_name(option_id: int) -> str:
    return f"punteggio_{option_id}"


def stance_form(decision: GroupDecision, formdata=None, stance=None) -> FlaskForm:
    """The form of a position on `decision`: its options as radios (a proposal, a poll with one
    choice), checkboxes (several choices) or one scale per option (a score), and the reason
    (not in an anonymous poll). Filled with the person's current position, if any."""
    chosen = {c.option_id: c.score for c in stance.choices} if stance is not None else {}

    class StanceForm(FlaskForm):
        submit = SubmitField(_l("Cambia la tua posizione") if stance is not None
                             else _l("Invia la tua posizione"))

    labels = [(str(o.id), POSITION_LABELS.get(o.code, o.code) if decision.is_proposal
               else o.label) for o in decision.options]
    defaults = {}
    if decision.is_score:
        scale = [("", _l("— scegli —"))] + [
            (str(n), str(n)) for n in range(decision.score_min, decision.score_max + 1)]
        for option in decision.options:
            name = score_field_name(option.id)
            setattr(StanceForm, name, SelectField(option.label, choices=scale, validators=[
                InputRequired(message=_l("Dai un punteggio a questa opzione."))]))
            if option.id in chosen and chosen[option.id] is not None:
                defaults[name] = str(chosen[option.id])
    elif decision.multiple:
        StanceForm.choice = CheckboxListField(_l("Le tue scelte"), choices=labels, validators=[
            DataRequired(message=_l("Scegli almeno un'opzione."))])
        defaults["choice"] = [str(i) for i in chosen]
    else:
        label = _l("La tua posizione") if decision.is_proposal else _l("La tua scelta")
        StanceForm.choice = RadioField(label, choices=labels, validators=[
            InputRequired(message=_l("Scegli un'opzione."))])
        if chosen:
            defaults["choice"] = str(next(iter(chosen)))
    if not decision.anonymous:
        StanceForm.reason = TextAreaField(
            _l("Motivazione"), validators=[Optional(), Length(max=5000)],
            description=_l("Obbligatoria per chi blocca. La vedono tutti quelli che vedono la "
                           "decisione.") if decision.is_proposal else MARKDOWN_HELP,
            render_kw={"rows": 3})
        defaults["reason"] = stance.reason if stance is not None else ""
    form = StanceForm(formdata=formdata, **defaults)
    form.decision = decision
    return form


def chosen_of(form) -> dict[int, int | None]:
    """What the (validated) form chose: option id -> score (None outside a score)."""
    decision = form.decision
    if decision.is_score:
        return {o.id: int(form[score_field_name(o.id)].data) for o in decision.options}
    data = form.choice.data
    values = data if isinstance(data, list) else [data]
    return {int(v): None for v in values if v and v.isdigit()}


def check_block_reason(form) -> bool:
    """A proposal's «blocco» asks for a reason: the error goes beside the reason."""
    decision = form.decision
    if not decision.is_proposal or (form.reason.data or "").strip():
        return True
    block = next(o for o in decision.options if o.code == Position.BLOCK.value)
    if form.choice.data == str(block.id):
        form.reason.errors = [*form.reason.errors, gettext(
            "Chi blocca una proposta spiega perché: scrivi la motivazione.")]
        return False
    return True
