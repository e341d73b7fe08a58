"""Meeting forms: planning (with the agenda rows), invitations, answers, the register, the
minutes, decisions, actions, reviews of the minutes, feedback, materials."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from cop.database import utcnow
from cop.files.forms import attachments_field
from cop.forms import FlaskForm, Form
from cop.meetings import services
from cop.meetings.times import NonexistentTime, local, to_utc
from cop.search.forms import DayField

KIND_CHOICES = [
    ("comunita_pratica", _l("Sessione di comunità di pratica")),
    ("benchlearning", _l("Laboratorio di benchlearning")),
    ("plenaria", _l("Plenaria")),
    ("tavolo_ats", _l("Tavolo ATS")),
    ("webinar", _l("Webinar")),
    ("visita_studio", _l("Visita di studio")),
    ("formazione", _l("Formazione")),
]
MODE_CHOICES = [("presenza", _l("In presenza")), ("online", _l("Online")),
                ("ibrido", _l("Ibrido"))]
REPEAT_CHOICES = [("", _l("Non si ripete")), ("settimanale", _l("Ogni settimana")),
                  ("quindicinale", _l("Ogni due settimane")), ("mensile", _l("Ogni mese"))]
ANSWER_CHOICES = [("si", _l("Partecipo")), ("no", _l("Non partecipo")), ("forse", _l("Forse"))]
PRESENCE_CHOICES = [("", _l("— non registrato —")), ("presente", _l("Presente")),
                    ("assente", _l("Assente")), ("giustificato", _l("Assente giustificato"))]
ACTION_STATUS_CHOICES = [("aperta", _l("Aperta")), ("in_corso", _l("In corso")),
                         ("fatta", _l("Fatta")), ("annullata", _l("Annullata"))]
MINUTES_STATUS_CHOICES = [("bozza", _l("Bozza")), ("in_revisione", _l("In revisione")),
                          ("approvato", _l("Approvato"))]
USEFULNESS_CHOICES = [("1", _l("1 - per niente utile")), ("2", _l("2 - poco utile")),
                      ("3", _l("3 - abbastanza utile")), ("4", _l("4 - utile")),
                      ("5", _l("5 - molto utile"))]
MARKDOWN_HELP = _l("Puoi usare Markdown: **grassetto**, elenchi con «-», link.")
MAX_AGENDA_ROWS = 30
PEOPLE_SPLIT = re.compile(r"[\s,;]+")


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (no Ctrl-click); templates/meetings/_macros.html
    `checkbox_list` draws it, with a filter box when the list is long."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AgendaRowForm(Form):
    title = StringField(_l("Punto"), validators=[Length(max=300)])
    presenter = StringField(_l("Chi lo presenta"), validators=[Length(max=200)])
    planned_minutes = IntegerField(_l("Minuti previsti"), validators=[
        Optional(), NumberRange(min=1, max=600, message=_l("Da 1 a 600 minuti."))])


class MeetingForm(FlaskForm):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(min=3, max=200)])
    kind = SelectField(_l("Tipo di incontro"), choices=KIND_CHOICES, validators=[DataRequired()])
    mode = RadioField(_l("Modalità"), choices=MODE_CHOICES, default="presenza",
                      validators=[DataRequired()])
    day = DayField(_l("Giorno"), validators=[InputRequired(message=_l("Indica il giorno."))])
    start_time = TimeField(_l("Ora di inizio"), validators=[
        InputRequired(message=_l("Indica l'ora di inizio, per esempio 10:00."))])
    end_time = TimeField(_l("Ora di fine"), validators=[
        InputRequired(message=_l("Indica l'ora di fine, per esempio 12:00."))])
    end_day = DayField(_l("Giorno di fine, se diverso"), validators=[Optional()],
                       description=_l("Solo per incontri su più giorni, come le visite di studio."))
    place = StringField(_l("Luogo"), validators=[Length(max=300)],
                        description=_l("Indirizzo e sala, per gli incontri in presenza o ibridi."))
    online_url = StringField(_l("Link per collegarsi"), validators=[
        Optional(), Length(max=500), URL(message=_l("Scrivi un indirizzo web completo, "
                                                    "che inizia con https://."))])
    already_held = BooleanField(_l("Registro un incontro già svolto"), description=_l(
        "Per un incontro che si è già tenuto: ne scrivi subito il registro e il verbale."))
    description = TextAreaField(_l("Descrizione"), validators=[Length(max=10000)],
                                description=MARKDOWN_HELP, render_kw={"rows": 4})
    facilitator_ids = CheckboxListField(_l("Facilitatori"), validators=[Optional()],
                                        description=_l("Tra i membri dello spazio, quanti ne "
                                                       "vuoi. Se non scegli, sei tu."))
    minute_taker_id = SelectField(_l("Chi scrive il verbale"), validators=[Optional()])
    agenda = FieldList(FormField(AgendaRowForm), label=_l("Ordine del giorno"),
                       max_entries=MAX_AGENDA_ROWS)
    repeat = SelectField(_l("Ripetizione"), choices=REPEAT_CHOICES, default="",
                         description=_l("Un incontro ricorrente crea una serie con lo stesso "
                                        "ordine del giorno."))
    occurrences = IntegerField(_l("Quanti incontri nella serie"), default=4, validators=[
        Optional(), NumberRange(min=2, max=52, message=_l("Da 2 a 52 incontri."))])
    submit = SubmitField(_l("Salva l'incontro"))

    def set_people(self, people, members) -> None:
        """`people` may take the minutes; facilitators are chosen among the `members`."""
        self.facilitator_ids.choices = person_choices(members)
        self.minute_taker_id.choices = [("", _l("— da decidere —"))] + person_choices(people)

    def pad_rows(self, extra: int) -> None:
        for _ in range(extra):
            if len(self.agenda) < MAX_AGENDA_ROWS:
                self.agenda.append_entry()

    def load(self, meeting) -> None:
        start, end = local(meeting.starts_at), local(meeting.ends_at)
        for name in ("title", "kind", "mode", "place", "online_url", "description"):
            getattr(self, name).data = getattr(meeting, name)
        self.day.data, self.start_time.data, self.end_time.data = \
            start.date(), start.time(), end.time()
        self.end_day.data = end.date() if end.date() != start.date() else None
        self.already_held.data = meeting.starts_at < utcnow()
        self.facilitator_ids.data = [str(f.user_id) for f in meeting.facilitators]
        self.minute_taker_id.data = str(meeting.minute_taker_id or "")
        while len(self.agenda):
            self.agenda.pop_entry()
        for item in meeting.items:
            self.agenda.append_entry({"title": item.title, "presenter": item.presenter,
                                      "planned_minutes": item.planned_minutes})

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.mode.data in ("online", "ibrido") and not (self.online_url.data or "").strip():
            self.online_url.errors = list(self.online_url.errors) + [
                str(_l("Per un incontro online o ibrido serve il link."))]
            valid = False
        if self.mode.data in ("presenza", "ibrido") and not (self.place.data or "").strip():
            self.place.errors = list(self.place.errors) + [
                str(_l("Per un incontro in presenza o ibrido serve il luogo."))]
            valid = False
        return valid

    def times(self) -> tuple[datetime, datetime] | None:
        """Start and end as UTC instants; None, with the error on its field, when wrong."""
        try:
            starts = to_utc(self.day.data, self.start_time.data)
        except NonexistentTime:
            self.start_time.errors = list(self.start_time.errors) + [str(_l(
                "Quest'ora non esiste quel giorno: gli orologi passano all'ora legale. "
                "Scegli un'altra ora."))]
            return None
        try:
            ends = to_utc(self.end_day.data or self.day.data, self.end_time.data)
        except NonexistentTime:
            self.end_time.errors = list(self.end_time.errors) + [str(_l(
                "Quest'ora non esiste quel giorno: gli orologi passano all'ora legale."))]
            return None
        if ends <= starts:
            self.end_time.errors = list(self.end_time.errors) + [
                str(_l("La fine deve venire dopo l'inizio."))]
            return None
        if starts < utcnow() and not self.already_held.data:
            self.day.errors = list(self.day.errors) + [str(_l(
                "Questa data è già passata: scegli un giorno futuro, o spunta «Registro un "
                "incontro già svolto» per registrarne uno che si è già tenuto."))]
            return None
        if ends - starts > timedelta(days=14):
            self.end_day.errors = list(self.end_day.errors) + [
                str(_l("Un incontro dura al più 14 giorni."))]
            return None
        return starts, ends

    def agenda_rows(self) -> list[services.AgendaRow]:
        return [services.AgendaRow(row.form.title.data.strip(),
                                   (row.form.presenter.data or "").strip(),
                                   row.form.planned_minutes.data)
                for row in self.agenda if (row.form.title.data or "").strip()]

    def meeting_input(self, starts: datetime, ends: datetime) -> services.MeetingInput:
        return services.MeetingInput(
            title=self.title.data.strip(), kind=self.kind.data, mode=self.mode.data,
            starts_at=starts, ends_at=ends, place=(self.place.data or "").strip(),
            online_url=(self.online_url.data or "").strip(),
            description=self.description.data or "",
            minute_taker_id=int(self.minute_taker_id.data) if self.minute_taker_id.data else None,
            facilitator_ids=[int(v) for v in self.facilitator_ids.data or []],
            agenda=self.agenda_rows())


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Motivo (lo leggono gli invitati)"), validators=[Length(max=2000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("Annulla l'incontro"))


class InviteForm(FlaskForm):
    members = RadioField(_l("Membri dello spazio"), choices=[
        ("", _l("Non invitare tutti i membri")),
        ("tutti", _l("Invita tutti i membri dello spazio"))],
        default="")
    member_ids = CheckboxListField(_l("Oppure scegli i membri da invitare"),
                                   validators=[Optional()],
                                   description=_l("I membri dello spazio non ancora invitati."))
    people = TextAreaField(_l("Persone di altri spazi"), validators=[Length(max=4000)],
                           description=_l("Indirizzi email o nomi utente (@nome), separati da "
                                          "virgole o a capo."), render_kw={"rows": 2})
    organisations = TextAreaField(
        _l("Organizzazioni"), validators=[Length(max=4000)],
        description=_l("Un'organizzazione per riga: sono invitate tutte le sue persone."),
        render_kw={"rows": 2, "list": "organisation-names"})
    guests = TextAreaField(
        _l("Ospiti esterni, senza account"), validators=[Length(max=20000)],
        description=_l("Indirizzi email, uno per riga o separati da virgole (al massimo "
                       "%(num)d per volta). Ricevono l'invito e rispondono da un collegamento "
                       "personale, senza account; chi ha già un account è invitato come "
                       "persona.", num=services.MAX_GUESTS_PER_INVITE),
        render_kw={"rows": 2})
    submit = SubmitField(_l("Invia gli inviti"))

    def validate_guests(self, field) -> None:
        words = [w for w in PEOPLE_SPLIT.split(field.data or "") if w]
        if len(words) > services.MAX_GUESTS_PER_INVITE:
            raise ValidationError(ngettext("Al massimo %(num)d ospite per volta.",
                                           "Al massimo %(num)d ospiti per volta.",
                                           services.MAX_GUESTS_PER_INVITE))
        wrong = []
        for word in words:
            try:
                validate_email(word, check_deliverability=False)
            except EmailNotValidError:
                wrong.append(word)
        if wrong:
            # gettext, not the lazy one: a LazyString is taken as safe HTML, and this echoes input
            raise ValidationError(gettext("Questi indirizzi non sono validi: %(emails)s.",
                                     emails=", ".join(wrong[:10])))

    def guest_emails(self) -> list[str]:
        words = [w for w in PEOPLE_SPLIT.split(self.guests.data or "") if w]
        return list(dict.fromkeys(w.lower() for w in words))[:services.MAX_GUESTS_PER_INVITE]

    def people_words(self) -> list[str]:
        return [w for w in PEOPLE_SPLIT.split(self.people.data or "") if w][:200]

    def organisation_names(self) -> list[str]:
        return [n.strip() for n in (self.organisations.data or "").splitlines() if n.strip()][:50]


class AnswerForm(FlaskForm):
    answer = RadioField(_l("La tua risposta"), choices=ANSWER_CHOICES,
                        validators=[DataRequired(message=_l("Scegli una risposta."))])
    submit = SubmitField(_l("Rispondi"))


MINUTES_FORM_ID = "verbale"
ACTION_PREFIX = "azione"  # the decision, in the same form of the minutes page, has item_id


class DecisionForm(FlaskForm):
    text = TextAreaField(_l("Decisione"), validators=[DataRequired(message=_l(
        "Scrivi la decisione.")), Length(max=4000)], render_kw={"rows": 2})
    item_id = SelectField(_l("Punto dell'ordine del giorno"), validators=[Optional()])
    submit = SubmitField(_l("Aggiungi la decisione"))


class ActionForm(FlaskForm):
    title = StringField(_l("Che cosa fare"), validators=[DataRequired(message=_l(
        "Scrivi che cosa va fatto.")), Length(max=300)])
    owner_id = SelectField(_l("Chi se ne occupa"), validators=[DataRequired(message=_l(
        "Scegli chi se ne occupa."))])
    due_date = DayField(_l("Entro il"), validators=[Optional()])
    done = BooleanField(_l("Già fatta"), description=_l(
        "Per un'azione già compiuta: può avere una data precedente all'incontro."))
    item_id = SelectField(_l("Punto dell'ordine del giorno"), validators=[Optional()])
    submit = SubmitField(_l("Aggiungi l'azione"))


def minutes_subforms(formdata=None) -> tuple[DecisionForm, ActionForm]:
    """The decision and the action of the minutes page, parts of its one form (`form`
    attribute `MINUTES_FORM_ID`): the notes typed above travel with them. No token of their
    own: the minutes form carries it."""
    decision = DecisionForm(formdata=formdata, meta={"csrf": False})
    action = ActionForm(formdata=formdata, prefix=ACTION_PREFIX, meta={"csrf": False})
    for form in (decision, action):
        for field in form:
            field.render_kw = {**(field.render_kw or {}), "form": MINUTES_FORM_ID}
    return decision, action


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Stato"), choices=ACTION_STATUS_CHOICES, validators=[DataRequired()])
    submit = SubmitField(_l("Aggiorna"))


class SimpleActionForm(FlaskForm):
    """A button that changes state: only the CSRF token."""

    submit = SubmitField(_l("Conferma"))


class MinutesReviewForm(FlaskForm):
    comment = TextAreaField(_l("Commento sul verbale"), validators=[Length(max=4000)],
                            description=_l("Che cosa correggere o aggiungere. Facoltativo se "
                                           "approvi."), render_kw={"rows": 3})
    approve = SubmitField(_l("Approvo il verbale"))
    comment_only = SubmitField(_l("Invia il commento"))


class FeedbackForm(FlaskForm):
    usefulness = RadioField(_l("Quanto ti è stato utile l'incontro?"), choices=USEFULNESS_CHOICES,
                            validators=[DataRequired(message=_l("Scegli un voto da 1 a 5."))])
    will_apply = TextAreaField(_l("Che cosa applicherai nel tuo lavoro?"),
                               validators=[Length(max=4000)], render_kw={"rows": 3})
    submit = SubmitField(_l("Invia il riscontro"))


class MaterialsForm(FlaskForm):
    files = attachments_field(_l("Materiali (presentazioni, documenti)"))
    item_id = SelectField(_l("Per il punto"), validators=[Optional()])
    submit = SubmitField(_l("Carica"))


def item_choices(items) -> list[tuple[str, str]]:
    return [("", _l("— tutto l'incontro —"))] + [
        (str(item.id), f"{n}. {item.title}") for n, item in enumerate(items, start=1)]




def person_choices(people) -> list[tuple[str, str]]:
    return [(str(p.id), f"{p.name} · {p.organisation.name}") for p in people]


NEW_SERIES = "nuova"


class SeriesForm(FlaskForm):
    """«Aggiungi a una serie»: a series of the space, a new one that begins with the meeting,
    or none."""

    series = SelectField(_l("Serie"), description=_l(
        "Gli incontri di una serie si leggono insieme, in ordine, con le loro decisioni e "
        "azioni; l'incontro che segue si apre con l'approvazione del verbale precedente."))
    new_title = StringField(_l("Titolo della nuova serie"), validators=[Length(max=200)],
                            description=_l("Solo per una nuova serie: per esempio «Comitato "
                                           "ATS 2027»."))
    submit = SubmitField(_l("Salva"))

    def set_series(self, choices) -> None:
        self.series.choices = [("", _l("— nessuna serie —"))] + [
            (str(s.id), s.title) for s in choices] + [
            (NEW_SERIES, _l("Una nuova serie che comincia da questo incontro"))]

    def validate_new_title(self, field) -> None:
        if self.series.data == NEW_SERIES and len((field.data or "").strip()) < 3:
            raise ValidationError(_l("Scrivi il titolo della nuova serie (almeno 3 caratteri)."))
