"""Templates compare model states with the enums cop.templating exposes (issue 18), never with the
stored strings: `meeting.minutes_status == MinutesStatus.REVIEW`, not `== 'in_revisione'`. A
renamed state then breaks loudly (an undefined enum member) instead of silently never matching.

The scan of templates/ needs no app: a comparison (==, !=, in a tuple or list, selectattr's
"equalto") of a state attribute against a quoted string fails, and so does a comparison of
anything against a string that is one of the models' state values, or a dict, list or tuple
literal of the values of one enum."""
from __future__ import annotations

import re
from pathlib import Path

from cop.templating import STATE_ENUMS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

STATE_ATTRIBUTES = ("status", "minutes_status", "visibility", "role", "kind", "level", "answer",
                    "presence", "site_role", "frequency", "mode", "stage", "state", "target",
                    "evidence", "cycle", "action")
STATE_VALUES = {member.value for enum in STATE_ENUMS.values() for member in enum}

EXPR = r"[A-Za-z_][\w.]*"
LITERAL = r"""(?P<q>['"])(?P<lit>[^'"]*)(?P=q)"""
COMPARISONS = (
    re.compile(rf"(?P<expr>{EXPR})\s*(?:==|!=)\s*{LITERAL}"),
    re.compile(rf"{LITERAL}\s*(?:==|!=)\s*(?P<expr>{EXPR})"),
    # `x.status in ('a', 'b')`, `x.status not in ['a']` (a `for ... in [...]` is a loop)
    re.compile(rf"(?<!for )(?<![\w.])(?P<expr>{EXPR})\s+(?:not\s+)?in\s*[(\[]\s*{LITERAL}"),
    # `|selectattr('status', 'equalto', 'bozza')`
    re.compile(rf"""(?:select|reject)attr\(\s*['"](?P<expr>\w+)['"]\s*,\s*"""
               rf"""['"](?:equalto|eq|==|ne|!=|in)['"]\s*,\s*[(\[]?\s*{LITERAL}"""),
)
# A dict keyed by quoted strings, and a list or tuple of quoted strings (`for r in ['membro',
# 'curatore', 'admin']`): states when two of them are values of one enum.
DICT = re.compile(r"\{\s*(?:(['\"])[^'\"]*\1\s*:[^,{}]*,?\s*)+\}")
SEQUENCE = re.compile(r"[\[(]\s*(?:(['\"])[^'\"]*\1\s*,?\s*){2,}[\])]")
QUOTED = re.compile(r"""(['"])([^'"]*)\1""")

# Comparisons against strings that are not model states, though they look like one.
ALLOWED = {
    # cop.dashboard.queries.Warning.kind: "falling" or "unanswered", a dashboard finding.
    ("dashboard/_board.html", "warning.kind", "falling"),
    # Suggested actions of a dashboard warning ("meeting", "question", "trainer", "reply").
    ("dashboard/_board.html", "action", "meeting"),
    ("dashboard/_board.html", "action", "reply"),
    # A search hit's document type, not a model state.
    ("search/results.html", "hit.doc_type", "post"),
    # What the unsubscribe view just did, a view-local flag.
    ("notifications/unsubscribe.html", "done", "thread"),
}


def offences(text: str, name: str = "") -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern in COMPARISONS:
            for match in pattern.finditer(line):
                expr, literal = match.group("expr"), match.group("lit")
                attribute = expr.rsplit(".", 1)[-1] if "." in expr or "attr(" in match.group(0) \
                    else None
                if attribute not in STATE_ATTRIBUTES and literal not in STATE_VALUES:
                    continue
                if (name, expr, literal) in ALLOWED:
                    continue
                found.append((number, match.group(0)))
        for match in (*DICT.finditer(line), *SEQUENCE.finditer(line)):
            strings = {string for _, string in QUOTED.findall(match.group(0))}
            if any(len(strings & {m.value for m in enum}) >= 2 for enum in STATE_ENUMS.values()):
                found.append((number, match.group(0)))
    return found


def test_no_template_compares_a_state_with_a_string():
    problems = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".ics", ".j2"):
            name = path.relative_to(TEMPLATES).as_posix()
            problems += [f"templates/{name}:{number}: {snippet}"
                         for number, snippet in offences(path.read_text(encoding="utf-8"), name)]
    assert not problems, "compare with the enums in cop.templating.STATE_ENUMS:\n" + \
        "\n".join(problems)


def test_the_scan_sees_every_form_of_comparison():
    for bad in ("{% if meeting.minutes_status == 'in_revisione' %}",
                '{% if "bozza" != practice.status %}',
                "{% if p.status in ('bozza', 'inviata') %}",
                "{% if p.status not in ['bozza'] %}",
                "{{ items|selectattr('status', 'equalto', 'bozza')|list }}",
                "{% if role == 'coordinatore' %}",  # a macro's argument: the value gives it away
                "{% if x.kind == 'something_new' %}",  # a state attribute, whatever the value
                "{% set c = {'bozza': 'a', 'inviata': 'b'} %}",
                "{% for value in ['membro', 'curatore', 'admin'] %}"):
        assert offences(bad), bad
    for fine in ("{% if meeting.minutes_status == MinutesStatus.REVIEW %}",
                 "{% if name == 'csrf_token' %}",
                 "{% if endpoint == 'spaces.home' %}",
                 "{% for level in ['core', 'attivo'] %}",
                 "{% set scope = {'tutti': 1} %}",
                 "{% set c = {PracticeStatus.DRAFT: 'a'} %}"):
        assert not offences(fine), fine


def test_the_enums_are_globals_of_every_template(app):
    for name, enum in STATE_ENUMS.items():
        assert app.jinja_env.globals[name] is enum
    # A member equals the plain string a column holds, also as a dict key.
    template = app.jinja_env.from_string(
        "{{ s == MinutesStatus.REVIEW }} {{ {PracticeStatus.DRAFT: 'ok'}.get(p) }}")
    assert template.render(s="in_revisione", p="bozza") == "True ok"
