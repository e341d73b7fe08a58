"""What each figure is called and how it is defined: shown beside it on the page and written
beside it in the CSV, so that the number and its meaning never part."""
from __future__ import annotations

from flask import Response
from flask_babel import format_decimal, format_percent, ngettext
from flask_babel import lazy_gettext as _l

from cop.csvfiles import csv_download
from cop.dashboard import metrics
from cop.stories.forms import CYCLE_NAMES

LEVEL_LABELS = {
    "core": _l("Nucleo (core)"),
    "attivo": _l("Attivi"),
    "occasionale": _l("Occasionali"),
    "periferico": _l("Periferici"),
}
LEVEL_DEFINITIONS = {
    "core": _l("almeno %(n)d contributi negli ultimi 90 giorni", n=metrics.CORE_MIN),
    "attivo": _l("da %(low)d a %(high)d contributi negli ultimi 90 giorni",
                 low=metrics.ACTIVE_MIN, high=metrics.CORE_MIN - 1),
    "occasionale": _l("da 1 a %(high)d contributi negli ultimi 90 giorni",
                      high=metrics.ACTIVE_MIN - 1),
    "periferico": _l("nessun contributo negli ultimi 90 giorni"),
}
CONTRIBUTION = _l("Un contributo è una discussione aperta, una risposta scritta, una scheda di "
                  "buona pratica scritta, un incontro a cui si è stati presenti o un «mi è utile» "
                  "dato, nello spazio.")
KIND_LABELS = {
    "thread": _l("Discussioni aperte"),
    "reply": _l("Risposte"),
    "practice": _l("Buone pratiche"),
    "meeting": _l("Presenze agli incontri"),
    "useful": _l("«Mi è utile»"),
}
CYCLE_LABELS = CYCLE_NAMES  # the stories' own names, in the cycles' order
DEFINITIONS = {
    "members": _l("Membri attivi dello spazio (per il cruscotto regionale: tutte le persone con "
                  "un account attivo)."),
    "monthly_active": _l("Membri che negli ultimi 30 giorni hanno dato un contributo o letto una "
                         "discussione dello spazio, sul totale dei membri."),
    "contributors": _l("Membri con almeno un contributo negli ultimi 90 giorni, sul totale dei "
                       "membri."),
    "new_contributors": _l("Persone (membri o no) il cui primo contributo nello spazio è degli "
                           "ultimi 30 giorni."),
    "median_reply": _l("Mediana del tempo tra l'apertura di una discussione e la prima risposta "
                       "di un'altra persona, sulle discussioni aperte negli ultimi 90 giorni che "
                       "ne hanno una (gli avvisi non contano)."),
    "unanswered": _l("Discussioni aperte da più di 7 giorni ancora senza risposta (gli avvisi e "
                     "le discussioni chiuse non contano)."),
    "attendance": _l("Presenti sul totale delle persone a registro (presenti, assenti, "
                     "giustificate) negli incontri degli ultimi 90 giorni."),
    "activity": _l("Contributi per mese di calendario, negli ultimi 12 mesi."),
    "trend": _l("Contributi degli ultimi 30 giorni e media dei tre periodi di 30 giorni "
                "precedenti."),
    "cohorts": _l("Per mese d'ingresso nello spazio: quante persone sono entrate e quante di loro "
                  "hanno dato almeno un contributo in ciascuno dei tre mesi successivi."),
    "coverage": _l("Per ATS: persone con almeno un contributo nello spazio da inizio trimestre "
                   "(secondo l'organizzazione di appartenenza) e Alleanze con almeno una di "
                   "queste persone tra le organizzazioni aderenti."),
    "stories": _l("Storie di valore raccontate nello spazio, per ciclo di creazione di valore "
                  "(Wenger): da sempre."),
}


def percent(value: float | None) -> str:
    return "–" if value is None else format_percent(value, format="#,##0%")


def hours(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 48:
        n = round(value, 1)
        return ngettext("%(n)s ora", "%(n)s ore", 1 if n == 1 else 2, n=format_decimal(n))
    n = round(value / 24, 1)  # 1,5 giorni: plural unless exactly one
    return ngettext("%(n)s giorno", "%(n)s giorni", 1 if n == 1 else 2, n=format_decimal(n))


def month_label(index: int, pattern: str = "MMM yyyy") -> str:
    from flask_babel import format_date

    return format_date(metrics.month_start(index), pattern)


def rows(board) -> list[tuple[str, str, str, str]]:
    """The dashboard as (section, figure, value, definition) rows, in the page's order."""
    p = board.participation
    out = [
        ("partecipazione", str(_l("Membri")), str(p.members), str(DEFINITIONS["members"])),
    ]
    for level in metrics.LEVELS:
        out.append(("livelli", str(LEVEL_LABELS[level]), str(p.levels[level]),
                    str(LEVEL_DEFINITIONS[level])))
    out += [
        ("partecipazione", str(_l("Membri attivi nel mese")), percent(p.share(p.monthly_active)),
         str(DEFINITIONS["monthly_active"])),
        ("partecipazione", str(_l("Membri che contribuiscono")), percent(p.share(p.contributors)),
         str(DEFINITIONS["contributors"])),
        ("partecipazione", str(_l("Nuovi contributori")), str(p.new_contributors),
         str(DEFINITIONS["new_contributors"])),
        ("discussioni", str(_l("Tempo mediano alla prima risposta")), hours(board.median_hours),
         str(DEFINITIONS["median_reply"])),
        ("discussioni", str(_l("Discussioni senza risposta dopo 7 giorni")),
         str(board.unanswered_count), str(DEFINITIONS["unanswered"])),
        ("incontri", str(_l("Tasso di presenza agli incontri")), percent(board.attendance.rate),
         str(DEFINITIONS["attendance"])),
        ("andamento", str(_l("Contributi negli ultimi 30 giorni")), str(board.trend.last_30),
         str(DEFINITIONS["trend"])),
        ("andamento", str(_l("Media dei 30 giorni precedenti")),
         format_decimal(round(board.trend.previous_average, 1)), str(DEFINITIONS["trend"])),
    ]
    for month, kinds in board.activity:
        out.append(("attività", month_label(month), str(sum(kinds.values())),
                    str(DEFINITIONS["activity"])))
    for cohort in board.cohorts:
        kept = " / ".join("–" if n is None else str(n) for n in cohort.retained)
        out.append(("coorti", month_label(cohort.month), f"{cohort.joined}: {kept}",
                    str(DEFINITIONS["cohorts"])))
    for ats in board.coverage.ats:
        out.append(("copertura", ats.name,
                    f"{ats.people} / {ats.active_alleanze} / {ats.alleanze}",
                    str(DEFINITIONS["coverage"])))
    for cycle, label in CYCLE_LABELS.items():
        out.append(("storie", str(label), str(board.stories.get(cycle, 0)),
                    str(DEFINITIONS["stories"])))
    return out


def csv_response(board, filename: str) -> Response:
    return csv_download(["sezione", "indicatore", "valore", "definizione"], rows(board), filename)
