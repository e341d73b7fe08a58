"""The practice record form and the workflow forms."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import (
    Field,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput, TextInput

from cop.files.forms import attachments_field
from cop.forms import FlaskForm, Form
from cop.practices.services import NOT_YOUR_ALLEANZA, NOT_YOUR_ATS
from cop.search.forms import DayField

TARGET_CHOICES = [("persone", _l("Persone")), ("imprese", _l("Imprese"))]
STATE_CHOICES = [("in_corso", _l("In corso")), ("conclusa", _l("Conclusa"))]
STAGE_CHOICES = [
    ("sperimentazione", _l("Sperimentazione")),
    ("a_regime", _l("A regime")),
    ("istituzionalizzata", _l("Istituzionalizzata")),
]
EVIDENCE_CHOICES = [
    ("emergente", _l("Emergente: primi risultati, ancora da verificare")),
    ("promettente", _l("Promettente: risultati misurati in un contesto")),
    ("consolidata", _l("Consolidata: risultati confermati nel tempo o in più territori")),
]
VISIBILITY_CHOICES = [
    ("spazio", _l("Chi vede lo spazio")),
    ("registrati", _l("Tutte le persone registrate alla piattaforma")),
    ("pubblica", _l("Tutti, anche nella vetrina pubblica senza accesso")),
]
STATUS_CHOICES = [
    ("bozza", _l("Bozza")),
    ("inviata", _l("Inviata per la validazione")),
    ("validata", _l("Validata")),
    ("pubblicata", _l("Pubblicata")),
    ("archiviata", _l("Archiviata")),
]
ADOPTION_CHOICES = [
    ("riusata", _l("L'abbiamo riusata così com'è")),
    ("adattata", _l("L'abbiamo adattata al nostro territorio")),
]
MARKDOWN_HELP = _l("Puoi usare Markdown: **grassetto**, elenchi con «-», link.")
MAX_ROWS = 30


class NeededToSubmit:
    """Marks a field a draft may leave empty but a record sent for validation may not."""

    field_flags = {"needed_to_submit": True}

    def __call__(self, form, field):
        pass


class WholeNumberField(Field):
    """A whole number ≥ 0 (spaces and thousands dots allowed: «1.200»)."""

    widget = TextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return str(self.data) if self.data is not None else ""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace(".", "")
        if not text:
            return
        if not text.isdigit() or len(text) > 12:
            raise ValueError(_l("Scrivi un numero intero, ad esempio 120."))
        self.data = int(text)


def parse_amount(text: str) -> Decimal | None:
    """An amount as Italians write it: «1.500», «1.500,50», «1500.50», «€ 2.000»."""
    text = (text or "").strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d{1,12}(\.\d{1,2})?", text):
        raise InvalidOperation(text)
    return Decimal(text)


class AmountField(Field):
    widget = TextInput()

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message or _l("Scrivi un numero, ad esempio 1.500 o 12,5.")

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(Decimal(self.data).normalize(), "f").replace(".", ",")  # 1500,5

    def process_formdata(self, valuelist):
        self.data = None
        try:
            self.data = parse_amount(valuelist[0] if valuelist else "")
        except InvalidOperation:
            raise ValueError(self.message) from None
        if self.data is not None and self.data < 0:
            self.data = None
            raise ValueError(_l("Il valore non può essere negativo."))


class YearField(WholeNumberField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
            in_range = self.data is None or 1990 <= self.data <= 2100
        except ValueError:  # the error is about a year, not "ad esempio 120"
            in_range = False
        if not in_range:
            self.data = None
            raise ValueError(_l("Scrivi un anno tra il 1990 e il 2100."))


class PartnerRow(Form):
    name = StringField(_l("Partner"), validators=[Length(max=200)])
    role = StringField(_l("Ruolo nella pratica"), validators=[Length(max=200)])


class IndicatorRow(Form):
    name = StringField(_l("Indicatore"), validators=[Length(max=200)])
    value = AmountField(_l("Valore"))
    unit = StringField(_l("Unità"), validators=[Length(max=60)])
    year = YearField(_l("Anno"))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        filled = bool((self.name.data or "").strip() or (self.unit.data or "").strip()) \
            or self.value.data is not None or self.year.data is not None
        if ok and filled:
            if not (self.name.data or "").strip():
                self.name.errors.append(_l("Dai un nome all'indicatore."))
                ok = False
            if self.value.data is None:
                self.value.errors.append(_l("Indica il valore dell'indicatore."))
                ok = False
        return ok


class OwnChoiceField(SelectField):
    """A select of what the writer may choose (their ATS, their Alleanze): another value, as
    a forged form would send, is refused with `message`, and the rest of the form is kept."""

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(self.message) from None


def _blank(value) -> bool:
    return value is None or value == "" or value == "None"


class PracticeForm(FlaskForm):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(min=5, max=200)])
    summary = TextAreaField(_l("Sintesi"), validators=[NeededToSubmit(), Length(max=2000)],
                            description=_l("Due o tre frasi: che cosa fa la pratica e per chi."),
                            render_kw={"rows": 3})
    need = TextAreaField(_l("Bisogno a cui risponde"), validators=[NeededToSubmit(),
                                                                   Length(max=4000)],
                         render_kw={"rows": 3})
    target = RadioField(_l("Destinatari"), choices=TARGET_CHOICES,
                        validators=[NeededToSubmit(), Optional()])
    reached_count = WholeNumberField(_l("Quanti destinatari raggiunti"),
                                     description=_l("Persone o imprese, un numero intero."))
    area_code = SelectField(_l("Area di intervento"), validators=[NeededToSubmit()], default="",
                            description=_l("Le 9 aree della DGR 2398/2019: 2 per le persone, "
                                           "7 per le imprese."))
    ats_id = OwnChoiceField(_l("ATS"), validators=[NeededToSubmit()], default="",
                            message=NOT_YOUR_ATS)
    alleanza_id = OwnChoiceField(_l("Alleanza locale"), default="", message=NOT_YOUR_ALLEANZA)
    municipalities = TextAreaField(_l("Comuni coinvolti"), validators=[Length(max=4000)],
                                   description=_l("Uno per riga, oppure separati da virgole."),
                                   render_kw={"rows": 2})
    lead_organisation_name = StringField(
        _l("Ente capofila"), validators=[NeededToSubmit(), Length(max=200)],
        description=_l("Scegli un'organizzazione della piattaforma dai suggerimenti, oppure "
                       "scrivine il nome."), render_kw={"list": "organisation-names",
                                                       "autocomplete": "off"})
    partners = FieldList(FormField(PartnerRow), _l("Partner"), min_entries=0,
                         max_entries=MAX_ROWS)
    start_date = DayField(_l("Inizio"), validators=[NeededToSubmit(), Optional()])
    end_date = DayField(_l("Fine"), validators=[Optional()],
                        description=_l("Lascia vuoto se la pratica è in corso."))
    state = RadioField(_l("Stato"), choices=STATE_CHOICES, validators=[NeededToSubmit(),
                                                                        Optional()])
    stage = RadioField(_l("Stadio"), choices=STAGE_CHOICES, validators=[NeededToSubmit(),
                                                                         Optional()])
    stage_owner = StringField(
        _l("Chi l'ha portata a regime o istituzionalizzata"), validators=[Length(max=200)],
        description=_l("Ad esempio: il Comune di Bergamo con una delibera del 2023."))
    budget = AmountField(_l("Budget (euro)"), message=_l("Scrivi un importo, ad esempio 25.000 "
                                                          "o 12.500,50."))
    funding_source = StringField(_l("Fonte di finanziamento"), validators=[Length(max=300)])
    staff = TextAreaField(_l("Personale impiegato"), validators=[Length(max=2000)],
                          render_kw={"rows": 2})
    activities = TextAreaField(_l("Attività"), validators=[NeededToSubmit(), Length(max=20000)],
                               description=MARKDOWN_HELP, render_kw={"rows": 6})
    indicators = FieldList(FormField(IndicatorRow), _l("Risultati e indicatori"), min_entries=0,
                           max_entries=MAX_ROWS)
    evidence = RadioField(_l("Livello di evidenza"), choices=EVIDENCE_CHOICES,
                          validators=[NeededToSubmit(), Optional()])
    difficulties = TextAreaField(_l("Difficoltà incontrate"), validators=[Length(max=20000)],
                                 description=MARKDOWN_HELP, render_kw={"rows": 4})
    lessons = TextAreaField(_l("Lezioni apprese"), validators=[NeededToSubmit(),
                                                              Length(max=20000)],
                            description=MARKDOWN_HELP, render_kw={"rows": 4})
    transferability = TextAreaField(
        _l("Trasferibilità"), validators=[NeededToSubmit(), Length(max=20000)],
        description=_l("Che cosa serve per rifarla altrove, e che cosa va adattato."),
        render_kw={"rows": 4})
    contact_id = SelectField(_l("Persona di contatto"), validators=[NeededToSubmit()],
                             default="")
    visibility = RadioField(_l("Chi può leggere la scheda pubblicata"),
                            choices=VISIBILITY_CHOICES, default="spazio",
                            validators=[DataRequired()])
    # the linked discussions: their ids, ticked; found by `thread_query` (the view searches)
    linked = SelectMultipleField(_l("Discussioni collegate"), validate_choice=False)
    thread_query = StringField(
        _l("Cerca una discussione da collegare"), validators=[Length(max=200)],
        description=_l("Le parole del titolo o del testo: trovi le discussioni che puoi vedere."),
        render_kw={"type": "search", "autocomplete": "off"})
    find_threads = SubmitField(_l("Cerca le discussioni"))
    attachments = attachments_field()
    note = StringField(_l("Che cosa hai cambiato"), validators=[Length(max=300)],
                       description=_l("Facoltativo: resta nella cronologia delle versioni."))
    base_version = WholeNumberField(widget=HiddenInput())
    save = SubmitField(_l("Salva"))
    save_and_submit = SubmitField(_l("Salva e invia alla validazione"))
    add_partner = SubmitField(_l("Aggiungi un partner"))
    add_indicator = SubmitField(_l("Aggiungi un indicatore"))

    def set_choices(self, *, areas, ats, alleanze, people) -> None:
        none = ("", _l("— scegli —"))
        self.area_code.choices = [none] + [(a.code, f"{a.label} ({a.target})") for a in areas]
        self.ats_id.choices = [none] + [(str(a.id), a.full_name) for a in ats]
        self.alleanza_id.choices = [("", _l("— nessuna: pratica dell'ATS —"))] + \
            [(str(a.id), a.name) for a in alleanze]
        self.contact_id.choices = [none] + [(str(u.id), f"{u.name} · {u.organisation.name}")
                                            for u in people]

    def more_rows(self) -> bool:
        """«Aggiungi un partner / un indicatore» (without JavaScript): one more empty row,
        and the form shown again with everything typed; nothing is saved."""
        rows = self.partners if self.add_partner.data else \
            self.indicators if self.add_indicator.data else None
        if rows is None:
            return False
        if len(rows) < MAX_ROWS:
            rows.append_entry()
        return True

    def pad_rows(self, extra: int = 2) -> None:
        """Empty rows to add partners and indicators without JavaScript."""
        for rows in (self.partners, self.indicators):
            for _ in range(extra):
                if len(rows) < MAX_ROWS:
                    rows.append_entry()

    def thread_ids(self) -> list[int]:
        """The ticked discussions (what is not a thread id is left out)."""
        return list(dict.fromkeys(int(v) for v in self.linked.data or []
                                  if v.isdigit() and len(v) <= 18))

    def wants_threads(self) -> bool:
        """«Cerca le discussioni»: the form shown again with the threads found."""
        return bool(self.find_threads.data)

    def field_values(self) -> dict:
        def number(field):
            return None if _blank(field.data) else int(field.data)

        return {
            "title": self.title.data or "", "summary": self.summary.data or "",
            "need": self.need.data or "", "target": self.target.data or None,
            "reached_count": self.reached_count.data, "area_code": self.area_code.data or None,
            "ats_id": number(self.ats_id), "alleanza_id": number(self.alleanza_id),
            "municipalities": self.municipalities.data or "",
            "lead_organisation_name": self.lead_organisation_name.data or "",
            "start_date": self.start_date.data, "end_date": self.end_date.data,
            "state": self.state.data or None, "stage": self.stage.data or None,
            "stage_owner": self.stage_owner.data or "", "budget": self.budget.data,
            "funding_source": self.funding_source.data or "", "staff": self.staff.data or "",
            "activities": self.activities.data or "", "evidence": self.evidence.data or None,
            "difficulties": self.difficulties.data or "", "lessons": self.lessons.data or "",
            "transferability": self.transferability.data or "",
            "contact_id": number(self.contact_id), "visibility": self.visibility.data,
        }

    def partner_rows(self) -> list[dict]:
        return [{"name": row.form.name.data or "", "role": row.form.role.data or ""}
                for row in self.partners if (row.form.name.data or "").strip()]

    def indicator_rows(self) -> list[dict]:
        return [{"name": row.form.name.data, "value": row.form.value.data,
                 "unit": row.form.unit.data or "", "year": row.form.year.data}
                for row in self.indicators
                if (row.form.name.data or "").strip() and row.form.value.data is not None]

    def show_problems(self, found: dict[str, str]) -> None:
        """Puts the service's field problems (services.problems) on the fields."""
        for name, message in found.items():
            target = getattr(self, name, None)
            if target is None:
                continue
            errors = list(target.errors) if isinstance(target.errors, list) else []
            if message not in errors:
                errors.append(message)
            target.errors = errors

    def load(self, practice, thread_ids: list[int]) -> None:
        """Fills an empty form (GET) from the record."""
        for name in ("title", "summary", "need", "target", "reached_count", "area_code",
                     "municipalities", "lead_organisation_name", "start_date", "end_date",
                     "state", "stage", "stage_owner", "budget", "funding_source", "staff",
                     "activities", "evidence", "difficulties", "lessons", "transferability",
                     "visibility"):
            getattr(self, name).data = getattr(practice, name)
        self.municipalities.data = "\n".join(practice.municipality_list)
        self.lead_organisation_name.data = practice.lead_name
        for name in ("ats_id", "alleanza_id", "contact_id"):
            value = getattr(practice, name)
            getattr(self, name).data = str(value) if value else ""
        for partner in practice.partners:
            self.partners.append_entry({"name": partner.name, "role": partner.role})
        for indicator in practice.indicators:
            self.indicators.append_entry({"name": indicator.name, "value": indicator.value,
                                          "unit": indicator.unit, "year": indicator.year})
        self.linked.data = [str(i) for i in thread_ids]
        self.base_version.data = practice.version_count


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Commento per gli autori"), validators=[Length(max=4000)],
                            description=_l("Necessario per rimandare la scheda: scrivi che "
                                           "cosa va cambiato."), render_kw={"rows": 4})
    validate_record = SubmitField(_l("Valida"))
    send_back = SubmitField(_l("Rimanda agli autori"))


class PublishForm(FlaskForm):
    visibility = RadioField(_l("Chi può leggerla"), choices=VISIBILITY_CHOICES,
                            validators=[DataRequired()])
    submit = SubmitField(_l("Pubblica"))


class AdoptForm(FlaskForm):
    alleanza_id = SelectField(_l("Per l'Alleanza"), validators=[DataRequired()])
    kind = RadioField(_l("Come"), choices=ADOPTION_CHOICES, default="riusata",
                      validators=[DataRequired()])
    note = TextAreaField(_l("Nota"), validators=[Length(max=2000)],
                         description=_l("Che cosa avete ripreso o cambiato, con chi, quando."),
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Registra l'adozione"))


class ChangeAdoptionForm(FlaskForm):
    kind = RadioField(_l("Come"), choices=ADOPTION_CHOICES, validators=[DataRequired()])
    note = TextAreaField(_l("Nota"), validators=[Length(max=2000)],
                         description=_l("Che cosa avete ripreso o cambiato, con chi, quando."),
                         render_kw={"rows": 3})
    submit = SubmitField(_l("Salva le modifiche"))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Il tuo commento"), validators=[DataRequired(), Length(max=20000)],
                         description=MARKDOWN_HELP, render_kw={"rows": 4})
    submit = SubmitField(_l("Commenta"))


class SimpleActionForm(FlaskForm):
    """A button that changes state (archive, restore, delete, withdraw): CSRF only."""

    comment = TextAreaField(_l("Motivo"), validators=[Length(max=2000)], render_kw={"rows": 2})
