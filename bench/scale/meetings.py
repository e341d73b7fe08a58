"""Meetings at scale: 200 per factor (2,000 at factor 10) in the ATS, Alleanza and thematic
spaces over the last two years and the next three months, with agenda, facilitators,
invitations and answers, the register, minutes per item, decisions, actions, the minutes'
review and versions, feedback, and some monthly series; a few cancelled. Same shapes as the
services leave (cop/meetings/services.py), written in bulk, the stored counters computed from
the rows written.

For the benchmark: one big plenary in the busiest ATS space (the benchmark member is invited
and came; many items, decisions and actions, some of them theirs) and the month with most
meetings the member can see (`facts["meeting_id"]`, `facts["calendar_month"]`).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import select

from bench.scale import words
from bench.scale.services import ScaleContext, SpaceInfo
from cop.auth.models import User
from cop.extensions import db
from cop.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Feedback,
    Meeting,
    MeetingFacilitator,
    MeetingInvitation,
    MeetingSeries,
    MinutesReview,
    MinutesVersion,
)
from cop.meetings.times import add_months, local, to_utc
from cop.network.models import Organisation
from cop.spaces.models import SpaceRole, Visibility

PER_FACTOR = 200
PAST_DAYS = 730
FUTURE_DAYS = 90
SERIES_SHARE = 40  # one monthly series of SERIES_LENGTH meetings per this many meetings
SERIES_LENGTH = 6
BIG_ITEMS, BIG_DECISIONS, BIG_ACTIONS, BIG_INVITED = 12, 15, 40, 150
LINK = "https://videoconferenze.esempio.it/cop/incontro-"

KINDS = {"comunita_pratica": 35, "benchlearning": 15, "plenaria": 8, "tavolo_ats": 20,
         "webinar": 12, "visita_studio": 10}
PREFIX = {"comunita_pratica": "Comunità di pratica", "benchlearning": "Laboratorio di "
          "benchlearning", "plenaria": "Plenaria", "tavolo_ats": "Tavolo ATS",
          "webinar": "Webinar", "visita_studio": "Visita di studio"}
MODES = {"presenza": 60, "online": 25, "ibrido": 15}
STARTS = [(time(9, 30), time(12, 30)), (time(10), time(12)), (time(14, 30), time(17)),
          (time(17), time(18, 30)), (time(11), time(12, 30))]
ROOMS = ["sala conferenze", "sala riunioni", "sala consiliare", "biblioteca civica",
         "sala della giunta", "centro civico"]
ITEMS = ["Apertura e approvazione del verbale precedente", "Azioni aperte dall'incontro "
         "precedente", "Esperienze a confronto: {service}", "Dati del monitoraggio: {service}",
         "Lavoro a gruppi su {problem}", "Proposta: {action}", "Rendicontazione e risorse",
         "Calendario dei prossimi incontri", "Varie ed eventuali", "Come coinvolgere {people}",
         "Che cosa portiamo nelle nostre Alleanze", "Domande dei partecipanti"]
DECISIONS = ["Si approva la proposta: {action}.", "Si sperimenta {service} per sei mesi.",
             "Il gruppo di lavoro su {problem} si riunisce entro un mese.",
             "Si coinvolgono {people} nel prossimo incontro."]
ACTIONS = ["Preparare una scheda su {service}", "Raccogliere i dati di {place}",
           "Scrivere a {people} per {action}", "Condividere i materiali dell'incontro",
           "Proporre al tavolo una soluzione per {problem}", "Aggiornare il cronoprogramma"]
COMMENTS = ["Al punto 2 manca il dato di {place}.", "Aggiungerei che {people} erano presenti.",
            "Va corretta la data della prossima riunione."]
APPLY = ["Proverò {service} nel mio Comune.", "Porto la proposta a {people}.",
         "Userò la scheda di monitoraggio.", ""]


@dataclass
class Planned:
    space: SpaceInfo
    day: date
    kind: str
    series: int | None = None  # index in the series list
    big: bool = False
    id: int = 0
    row: dict = field(default_factory=dict)


def _weekday(day: date, forward: bool) -> date:
    if day.weekday() < 5:
        return day
    return day + timedelta(days=7 - day.weekday()) if forward \
        else day - timedelta(days=day.weekday() - 4)


def _pick(rng, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _planners(space: SpaceInfo) -> list[int]:
    roles = (SpaceRole.COORDINATOR.value, SpaceRole.FACILITATOR.value)
    return [u for u, role in space.members.items() if role in roles] or list(space.members)


def _schedule(ctx: ScaleContext, spaces: list[SpaceInfo]) -> tuple[list[Planned], list[dict]]:
    """Which meetings, where and when: the big one, the series, then the others."""
    rng = ctx.rng
    today = local(ctx.now).date()
    total = ctx.scaled(PER_FACTOR)
    busy = ctx.extra["busy_space"]
    plans = [Planned(busy, _weekday(today - timedelta(days=20), False), "plenaria", big=True)]
    alleanze = [s for s in spaces if s.kind == "alleanza"] or spaces
    series = []
    for _n in range(max(1, total // SERIES_SHARE)):
        if len(plans) + SERIES_LENGTH > total:
            break
        space = rng.choice(alleanze)
        first = _weekday(today - timedelta(days=rng.randrange(30, 160)), False)
        name = " ".join(w.capitalize() for w in space.slug.split("-"))
        series.append({"space": space, "title": f"Cabina di regia mensile: {name}"[:200]})
        plans += [Planned(space, add_months(first, k), "comunita_pratica", len(series) - 1)
                  for k in range(SERIES_LENGTH)]
    weights = [min(len(s.members), 60) for s in spaces]
    while len(plans) < total:
        space = rng.choices(spaces, weights)[0]
        future = rng.random() < 0.12
        offset = rng.randrange(1, FUTURE_DAYS) if future else -rng.randrange(1, PAST_DAYS)
        kind = _pick(rng, KINDS)
        if kind == "tavolo_ats" and space.kind != "ats":
            kind = "comunita_pratica"
        plans.append(Planned(space, _weekday(today + timedelta(days=offset), future), kind))
    plans.sort(key=lambda p: (p.day, p.space.id))  # ids in time order, as the app would
    return plans, series


def seed_meetings(ctx: ScaleContext, factor: float) -> None:
    rng, now = ctx.rng, ctx.now
    writer = ctx.extra["writer"]
    today = local(now).date()
    spaces = [s for s in ctx.spaces if len(s.members) >= 3]
    if not spaces:
        return
    names = dict(db.session.execute(select(User.id, User.name)).all())
    organisation_names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    organisation_of = {p.id: p.organisation_id for p in ctx.people}
    everybody = [p.id for p in ctx.people]
    member_id = ctx.facts.get("member_id")

    plans, series_list = _schedule(ctx, spaces)
    for plan, meeting_id in zip(plans, ctx.new_ids(Meeting.__table__, len(plans))):
        plan.id = meeting_id
    series_rows = []
    for info, series_id in zip(series_list, ctx.new_ids(MeetingSeries.__table__,
                                                        len(series_list))):
        info["id"] = series_id
    rows = {name: [] for name in ("facilitators", "items", "invitations", "attendance",
                                  "decisions", "actions", "reviews", "versions", "feedback")}
    meetings = []
    for plan in plans:
        space = plan.space
        planner = _planners(space)[0] if plan.big else rng.choice(_planners(space))
        start, end = STARTS[0] if plan.big else (
            STARTS[3] if plan.series is not None else rng.choice(STARTS))
        starts_at, ends_at = to_utc(plan.day, start), to_utc(plan.day, end)
        ended = ends_at <= now
        mode = "ibrido" if plan.big else _pick(rng, MODES)
        topic = rng.choice(words.SERVICES)
        if plan.series is not None:
            title = series_list[plan.series]["title"]
        else:
            title = f"{PREFIX[plan.kind]}: {topic}"[:190]
        created_at = min(starts_at - timedelta(days=rng.randint(7, 30)),
                         now - timedelta(hours=rng.randint(1, 72)))
        cancelled = not plan.big and rng.random() < 0.03
        members = list(space.members)

        # invitations and answers
        size = min(len(members), BIG_INVITED if plan.big else rng.randint(8, 40))
        invited = [planner] + [u for u in rng.sample(members, size) if u != planner]
        if plan.big and member_id is not None and member_id not in invited:
            invited.append(member_id)
        if rng.random() < 0.2:
            invited += [u for u in rng.sample(everybody, rng.randint(1, 4))
                        if u not in space.members and u not in invited]
        answers = {}
        for user_id in invited:
            answer = rng.choices(["si", "no", "forse", None],
                                 [65, 10, 8, 17] if ended else [40, 8, 12, 40])[0]
            answers[user_id] = "si" if user_id == planner or (
                plan.big and user_id == member_id) else answer
        latest = min(starts_at, now)
        for user_id, answer in answers.items():
            rows["invitations"].append({
                "meeting_id": plan.id, "user_id": user_id, "answer": answer,
                "answered_at": created_at + (latest - created_at) * rng.random()
                if answer else None, "invited_by_id": planner, "created_at": created_at})
        counted = Counter(answers.values())

        # agenda and facilitators
        n_items = BIG_ITEMS if plan.big else rng.randint(3, 6)
        item_ids = list(ctx.new_ids(AgendaItem.__table__, n_items))
        facilitators = [planner] + [u for u in _planners(space)[:2] if u != planner
                                    and rng.random() < 0.3]
        rows["facilitators"] += [{"meeting_id": plan.id, "user_id": u} for u in facilitators]

        # the register and the minutes
        taken = ended and not cancelled
        present = []
        if taken:
            for user_id, answer in answers.items():
                chance = {"si": 0.9, "forse": 0.5, "no": 0.05, None: 0.3}[answer]
                came = user_id == planner or (plan.big and user_id == member_id) \
                    or rng.random() < chance
                presence = "presente" if came else (
                    "giustificato" if answer == "no" else "assente")
                if came:
                    present.append(user_id)
                rows["attendance"].append({
                    "meeting_id": plan.id, "user_id": user_id, "presence": presence,
                    "organisation_name": organisation_names.get(organisation_of.get(user_id),
                                                                "")})
        age = (today - plan.day).days
        if not taken:
            status = "bozza"
        elif plan.big:
            status = "approvato"
        elif age < 14:
            status = rng.choices(["bozza", "in_revisione", "approvato"], [4, 4, 2])[0]
        else:
            status = rng.choices(["bozza", "in_revisione", "approvato"], [5, 3, 92])[0]
        written = taken and (status != "bozza" or rng.random() < 0.5)
        summary, summary_html = writer.body() if written and rng.random() < 0.5 else ("", "")
        items = []
        for position, item_id in enumerate(item_ids):
            item_title = writer.sentence(ITEMS[position % len(ITEMS)] if plan.series is None
                                         and not plan.big else rng.choice(ITEMS))
            minutes, minutes_html = writer.body() if written else ("", "")
            items.append({"id": item_id, "meeting_id": plan.id, "position": position,
                          "title": item_title[:300], "presenter": "",
                          "planned_minutes": rng.choice([10, 15, 20, 30, 45, 60]),
                          "minutes": minutes, "minutes_html": minutes_html})
        rows["items"] += items

        decisions, actions = [], []
        if written:
            for _ in range(BIG_DECISIONS if plan.big else rng.randint(1, 3)):
                item = rng.choice(items + [None])
                decisions.append({"meeting_id": plan.id,
                                  "agenda_item_id": item["id"] if item else None,
                                  "text": writer.sentence(rng.choice(DECISIONS)),
                                  "created_at": ends_at})
        if taken and present:
            mine = 0
            for k in range(BIG_ACTIONS if plan.big else rng.randint(0, 5)):
                owner = rng.choice(present)
                if member_id in present and (rng.random() < 0.3 or (plan.big and mine < 6)):
                    owner, mine = member_id, mine + 1
                due = plan.day + timedelta(days=rng.randint(7, 60))
                action_status = rng.choices(
                    ["aperta", "in_corso", "fatta", "annullata"],
                    [20, 10, 65, 5] if due < today else [60, 30, 10, 0])[0]
                if plan.big and owner == member_id and k < 4:
                    action_status = "aperta"  # the member's list is not empty
                item = rng.choice(items + [None])
                done = action_status in ("fatta", "annullata")
                actions.append({
                    "meeting_id": plan.id, "space_id": space.id,
                    "agenda_item_id": item["id"] if item else None,
                    "title": writer.sentence(rng.choice(ACTIONS))[:300], "owner_id": owner,
                    "due_date": due, "status": action_status, "reminded_for": None,
                    "created_at": ends_at + timedelta(hours=1),
                    "updated_at": min(ends_at + timedelta(days=rng.randint(1, 40)), now)
                    if done else ends_at + timedelta(hours=1)})
        rows["decisions"] += decisions
        rows["actions"] += actions

        # review, approval, versions, feedback
        sent = min(ends_at + timedelta(days=2), now)
        approved_at = min(sent + timedelta(days=rng.randint(3, 10)), now) \
            if status == "approvato" else None
        versions = []
        if status != "bozza":
            data = json.dumps(_snapshot(summary, items, rows["attendance"][-len(answers):]
                                        if taken else [], decisions, actions, names),
                              ensure_ascii=False)
            versions.append(("in_revisione", sent))
            if approved_at:
                versions.append(("approvato", approved_at))
            rows["versions"] += [{"meeting_id": plan.id, "number": n + 1, "status": s,
                                  "data": data, "author_id": planner, "created_at": when}
                                 for n, (s, when) in enumerate(versions)]
            for user_id in rng.sample(present, min(len(present), rng.randint(0, 4))):
                approves = rng.random() < 0.85
                rows["reviews"].append({
                    "meeting_id": plan.id, "user_id": user_id, "approved": approves,
                    "comment": "" if approves else writer.sentence(rng.choice(COMMENTS)),
                    "created_at": min(sent + timedelta(hours=rng.randint(2, 60)), now)})
        marks = []
        if taken and status == "approvato":
            for user_id in rng.sample(present, min(len(present), rng.randint(0, 6))):
                marks.append(rng.choices([1, 2, 3, 4, 5], [1, 2, 6, 12, 9])[0])
                rows["feedback"].append({
                    "meeting_id": plan.id, "user_id": user_id, "usefulness": marks[-1],
                    "will_apply": writer.sentence(rng.choice(APPLY)),
                    "created_at": min(ends_at + timedelta(hours=rng.randint(1, 72)), now)})

        description = f"{PREFIX[plan.kind]} su {topic}."  # few distinct texts: rendered once
        changed = [created_at, *(w for _, w in versions)]
        plan.row = {
            "id": plan.id, "space_id": space.id,
            "series_id": series_list[plan.series]["id"] if plan.series is not None else None,
            "title": title, "kind": plan.kind, "mode": mode,
            "starts_at": starts_at, "ends_at": ends_at,
            "place": "" if mode == "online" else f"{rng.choice(ROOMS).capitalize()}, "
                                                 f"{rng.choice(words.PLACES)}",
            "online_url": f"{LINK}{plan.id}" if mode != "presenza" else "",
            "description": description, "description_html": writer.rendered(description),
            "status": "annullato" if cancelled else "programmato",
            "sequence": 1 if cancelled else 0,
            "minute_taker_id": rng.choice(present or [planner]) if rng.random() < 0.5 else None,
            "minutes_status": status, "minutes_summary": summary,
            "minutes_summary_html": summary_html, "minutes_version_count": len(versions),
            "minutes_approved_at": approved_at,
            "invited_count": len(answers), "yes_count": counted["si"],
            "no_count": counted["no"], "maybe_count": counted["forse"],
            "present_count": len(present), "action_count": len(actions),
            "feedback_count": len(marks), "feedback_total": sum(marks),
            "attachment_count": 0, "created_by_id": planner, "created_at": created_at,
            "updated_at": max(changed),
        }
        meetings.append(plan.row)
        if plan.series is not None:
            info = series_list[plan.series]
            if "created_at" not in info:
                info.update(created_at=created_at, created_by_id=planner, items=items)

    for info in series_list:
        series_rows.append({
            "id": info["id"], "space_id": info["space"].id, "title": info["title"],
            "frequency": "mensile", "occurrences": SERIES_LENGTH,
            "agenda_template": "\n".join(f"{i['title']} |  | {i['planned_minutes']}"
                                         for i in info["items"]),
            "created_by_id": info["created_by_id"], "created_at": info["created_at"]})
    ctx.insert(MeetingSeries, series_rows)
    ctx.insert(Meeting, meetings)
    ctx.insert(AgendaItem, rows["items"])
    for table, key in ((MeetingFacilitator, "facilitators"), (MeetingInvitation, "invitations"),
                       (Attendance, "attendance"), (Decision, "decisions"),
                       (Action, "actions"), (MinutesReview, "reviews"),
                       (MinutesVersion, "versions"), (Feedback, "feedback")):
        for row, new_id in zip(rows[key], ctx.new_ids(table.__table__, len(rows[key]))):
            row["id"] = new_id
        ctx.insert(table, rows[key])
    _facts(ctx, plans, rows["invitations"])


def _snapshot(summary, items, register, decisions, actions, names) -> dict:
    """What services.snapshot_data would write for these rows."""
    titles = {i["id"]: i["title"] for i in items}
    return {
        "summary": summary,
        "items": [{"title": i["title"], "minutes": i["minutes"]} for i in items],
        "attendance": sorted(({"name": names.get(r["user_id"], ""), "presence": r["presence"],
                               "organisation": r["organisation_name"]} for r in register),
                             key=lambda r: r["name"]),
        "decisions": [{"text": d["text"], "item": titles.get(d["agenda_item_id"], "")}
                      for d in decisions],
        "actions": [{"title": a["title"], "owner": names.get(a["owner_id"], ""),
                     "status": a["status"], "due": a["due_date"].isoformat()}
                    for a in actions],
    }


def _facts(ctx: ScaleContext, plans: list[Planned], invitations: list[dict]) -> None:
    """The big meeting, and the month with most meetings the benchmark member sees."""
    member_id = ctx.facts.get("member_id")
    big = next(p for p in plans if p.big)
    invited_to = {r["meeting_id"] for r in invitations if r["user_id"] == member_id}
    months = Counter(local(p.row["starts_at"]).strftime("%Y-%m") for p in plans
                     if p.space.visibility == Visibility.REGIONAL.value
                     or member_id in p.space.members or p.id in invited_to)
    ctx.facts["meeting_id"] = big.id
    ctx.facts["calendar_month"] = max(sorted(months), key=months.get) if months else \
        local(ctx.now).strftime("%Y-%m")
    ctx.facts["meeting_count"] = len(plans)


SEEDERS = [("incontri", seed_meetings)]
