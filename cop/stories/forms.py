"""The form of a value story: the cycle (with what each one means), a title, the story."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from cop.forms import FlaskForm
from cop.stories.models import Cycle

# Wenger, Trayner and de Laat (2011), «Promoting and assessing value creation in communities
# and networks»: the five cycles, told in the words of a member.
CYCLE_CHOICES = [
    (Cycle.IMMEDIATE.value, _l("Valore immediato: partecipare mi è servito subito (un'idea, "
                               "un contatto, una risposta, sentirmi meno sola o solo)")),
    (Cycle.POTENTIAL.value, _l("Valore potenziale: ho ora qualcosa che mi servirà (conoscenze, "
                               "strumenti, relazioni, fiducia)")),
    (Cycle.APPLIED.value, _l("Valore applicato: ho cambiato qualcosa nel mio lavoro (una "
                             "pratica, uno strumento, un modo di fare)")),
    (Cycle.REALISED.value, _l("Valore realizzato: il cambiamento ha dato risultati (per le "
                              "famiglie, le lavoratrici e i lavoratori, l'ente, il territorio)")),
    (Cycle.REFRAMING.value, _l("Riformulazione: abbiamo ripensato obiettivi, criteri di "
                               "successo o il modo di lavorare della rete")),
]
CYCLE_NAMES = {
    Cycle.IMMEDIATE.value: _l("Valore immediato"),
    Cycle.POTENTIAL.value: _l("Valore potenziale"),
    Cycle.APPLIED.value: _l("Valore applicato"),
    Cycle.REALISED.value: _l("Valore realizzato"),
    Cycle.REFRAMING.value: _l("Riformulazione"),
}
MAX_BODY = 20000


class StoryForm(FlaskForm):
    cycle = RadioField(_l("Che tipo di valore racconti"), choices=CYCLE_CHOICES,
                       validators=[DataRequired(message=_l("Scegli uno dei cicli di valore."))])
    title = StringField(_l("Titolo"), validators=[
        DataRequired(message=_l("Scrivi un titolo.")),
        Length(min=5, max=160, message=_l("Il titolo va da 5 a 160 caratteri."))],
        description=_l("In una riga: che cosa è cambiato."))
    body = TextAreaField(_l("La tua storia"), validators=[
        DataRequired(message=_l("Racconta la tua storia.")),
        Length(max=MAX_BODY, message=_l("Al massimo 20.000 caratteri."))],
        description=_l("Che cosa è successo, che cosa hai fatto di diverso, che cosa è cambiato "
                       "per te, per il tuo ente o per le persone con cui lavori. Puoi usare "
                       "Markdown: **grassetto**, elenchi con «-», link."),
        render_kw={"rows": 10})
    submit = SubmitField(_l("Pubblica la storia"))
