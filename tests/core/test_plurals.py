"""A count next to a noun goes through ngettext: never "1 approvazioni" or "1 messaggi".

Every singular text of cop/ and templates/ (as `pybabel extract` sees them) is scanned for a
number placeholder followed by an Italian plural word (ending in -i or -e, or a plural verb);
the templates for `{{ a count }} word`. A text whose number is a fixed limit, never 1, is listed
with its reason.
"""
from __future__ import annotations

import re
from pathlib import Path

from tests.core.test_i18n import extract_sources

ROOT = Path(__file__).resolve().parents[2]
# %(num)d, or %(n)s-like names that hold counts (formatted numbers).
COUNT_THEN_WORD = re.compile(
    r"%\((?:\w+\)d|(?:n|num|count|total|days|hours|minutes)\)s)\s+(?:non\s+)?([a-zàèéìòù]+)")
TEMPLATE_COUNT = re.compile(
    r"\{\{[^{}]*(?:count|total|length|\bn\b|\bnum\b)[^{}]*\}\}\s+([a-zàèéìòù]+)")
# Same in the singular, or not nouns.
NOT_PLURAL_NOUNS = {"file", "byte", "forse", "di", "e", "su", "le", "che", "per", "alle"}
# The number is a fixed limit that is never 1.
FIXED_LIMITS = {
    "La password deve avere almeno %(n)d caratteri.",
    "La password può avere al massimo %(n)d caratteri.",
    "Al massimo %(n)d etichette.",
    "almeno %(n)d contributi negli ultimi 90 giorni",
    "da %(low)d a %(high)d contributi negli ultimi 90 giorni",
    "da 1 a %(high)d contributi negli ultimi 90 giorni",
    "Più di %(num)d persone",  # more than the cap of a page of results
    "Più di %(num)d risultati: ecco i più pertinenti tra i più recenti. Aggiungi una parola o "
    "un filtro per restringere la ricerca.",
    "Serie di %(count)d incontri programmata.",  # one meeting says "Incontro programmato."
    "%(done)d di %(total)d fatti",  # the onboarding checklist has several steps
    "Incontri di formazione e webinar dei prossimi %(days)d giorni.",
}


# Verbs after a count agree with it too: "1 partecipano", "1 non hanno risposto".
PLURAL_VERBS = {"partecipano", "hanno", "sono", "seguono", "aspettano"}


def _is_plural_noun(word: str) -> bool:
    return word in PLURAL_VERBS or (
        len(word) > 2 and word[-1] in "ie" and word not in NOT_PLURAL_NOUNS)


def test_counts_in_texts_go_through_ngettext():
    catalog, _visited = extract_sources()
    found = []
    for message in catalog:
        if not message.id or message.pluralizable or message.id in FIXED_LIMITS:
            continue
        for match in COUNT_THEN_WORD.finditer(message.id):
            if _is_plural_noun(match.group(1)):
                found.append(f"{message.locations[0]}: {message.id!r}")
    assert not found, "use ngettext:\n" + "\n".join(found)


def test_counts_in_templates_go_through_ngettext():
    found = []
    for path in (ROOT / "templates").rglob("*.*"):
        text = path.read_text()
        for match in TEMPLATE_COUNT.finditer(text):
            if _is_plural_noun(match.group(1)):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)!r}")
    assert not found, "use ngettext:\n" + "\n".join(found)
