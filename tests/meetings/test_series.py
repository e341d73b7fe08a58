"""Meeting series: the series page (meetings in order with agenda, decisions, actions and the
minutes' state), its printable version and CSV files, «aggiungi a una serie», and the top of
the next meeting's agenda (approval of the previous minutes, linked; actions still open)."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from cop.auth.models import User
from cop.extensions import db
from cop.meetings import series as meeting_series
from cop.meetings import services
from cop.meetings.models import Action, AgendaItem, Meeting, MeetingSeries
from cop.meetings.times import to_utc
from cop.spaces.models import Space
from tests.meetings.helpers import Meetings, form_data

APPROVAL = "Approvazione del verbale della riunione precedente"
OPEN_ACTIONS = "Azioni ancora aperte dalle riunioni precedenti"


def _agenda(app, meeting_id):
    with app.app_context():
        return [(i.title, i.role, i.previous_meeting_id) for i in db.session.scalars(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position))]


def _choose(client, meeting_id, series="nuova", title="Comitato ATS Bergamo"):
    return client.post(f"/incontri/{meeting_id}/serie", {"series": series, "new_title": title})


def _series_of(app, meeting_id) -> int | None:
    with app.app_context():
        return db.session.get(Meeting, meeting_id).series_id


def _rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _ago(days: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=days, hours=3)


class Comitato:
    """Three monthly meetings of the ATS committee, planned one by one (no rule), gathered
    into a series through the page: the first two held, the third to come."""

    def __init__(self, app, world, client):
        self.app, self.world = app, world
        meetings = Meetings(app)
        self.first = meetings.past(world.reserved.slug, world.coordinator.id, days=60,
                                   title="Comitato di gennaio", invite_members=True)
        self.second = meetings.past(world.reserved.slug, world.coordinator.id, days=30,
                                    title="Comitato di febbraio", invite_members=True)
        self.third = meetings.make(world.reserved.slug, world.coordinator.id,
                                   title="Comitato di marzo")
        client.login(world.coordinator.email)
        assert _choose(client, self.first).status_code == 302
        self.series_id = _series_of(app, self.first)
        for meeting_id in (self.third, self.second):  # out of order on purpose
            assert _choose(client, meeting_id, str(self.series_id)).status_code == 302
        self.url = f"/spazi/{world.reserved.slug}/incontri/serie/{self.series_id}"

    def minutes(self, meeting_id, decision=None, actions=(), approve=False):
        """Decisions and actions written by the coordinator; approved by the referent."""
        with self.app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            writer = db.session.get(User, self.world.coordinator.id)
            if decision:
                services.add_decision(meeting, writer, decision)
            for title, due, status in actions:
                action = services.add_action(meeting, writer, title, self.world.member.id, due,
                                             done=status == "fatta")
                if status not in ("aperta", "fatta"):
                    services.update_action(action, status)
            if approve:
                services.send_minutes_for_review(meeting, writer)
                services.approve_minutes(meeting, db.session.get(User, self.world.referent.id))
            db.session.commit()


def test_a_series_planned_with_a_rule_opens_each_next_agenda_with_the_previous_minutes(
        app, world):
    with app.app_context():
        space = db.session.get(Space, world.reserved.id)
        planner = db.session.get(User, world.coordinator.id)
        starts = to_utc(date(2030, 12, 10), time(10, 0))
        data = services.MeetingInput(
            title="Tavolo mensile", kind="tavolo_ats", mode="presenza", starts_at=starts,
            ends_at=starts + timedelta(hours=2), place="Sala",
            agenda=[services.AgendaRow("Aggiornamenti"), services.AgendaRow("Varie")])
        ids = [m.id for m in services.plan_series(space, planner, data, "mensile", 3)]
        db.session.commit()
    assert _agenda(app, ids[0]) == [("Aggiornamenti", "", None), ("Varie", "", None)]
    for previous, meeting in zip(ids, ids[1:]):
        assert _agenda(app, meeting) == [
            (APPROVAL, "approva_verbale", previous), (OPEN_ACTIONS, "azioni_aperte", None),
            ("Aggiornamenti", "", None), ("Varie", "", None)]


def test_the_next_meeting_links_the_previous_minutes_with_their_state_and_open_actions(
        app, world, client):
    comitato = Comitato(app, world, client)
    # the meetings held keep their agenda; the one to come opens with the series' items
    assert [t for t, _r, _p in _agenda(app, comitato.second)] == ["Punto 1", "Punto 2"]
    assert _agenda(app, comitato.third)[:2] == [
        (APPROVAL, "approva_verbale", comitato.second), (OPEN_ACTIONS, "azioni_aperte", None)]
    comitato.minutes(comitato.first, actions=[
        ("Mappare i servizi", date.today() - timedelta(days=5), "aperta"),
        ("Scrivere al Comune", None, "fatta")], approve=True)
    comitato.minutes(comitato.second, actions=[("Preparare il bando", None, "in_corso")])

    page = client.get(f"/incontri/{comitato.third}").get_data(as_text=True)
    assert f'href="/incontri/{comitato.second}#verbale"' in page
    assert "verbale in bozza" in page
    assert "Mappare i servizi" in page and "in ritardo" in page
    assert "Preparare il bando" in page
    assert "Scrivere al Comune" not in page  # done
    assert "azioni ancora aperte dello spazio" not in page  # the series' item replaces it
    assert f'/incontri/serie/{comitato.series_id}"' in page  # the facts link the series

    comitato.minutes(comitato.second, approve=True)
    page = client.get(f"/incontri/{comitato.third}").get_data(as_text=True)
    assert "verbale approvato il" in page and "verbale in bozza" not in page

    # attaching again does not double the items; editing keeps them
    assert _choose(client, comitato.third, str(comitato.series_id)).status_code == 302
    assert [r for _t, r, _p in _agenda(app, comitato.third)].count("approva_verbale") == 1


def test_the_series_page_gathers_agenda_decisions_and_actions_in_order(app, world, client):
    comitato = Comitato(app, world, client)
    comitato.minutes(comitato.first, decision="Adottare il modello regionale", actions=[
        ("Mappare i servizi", date.today() - timedelta(days=5), "aperta"),
        ("Scrivere al Comune", None, "fatta")], approve=True)
    comitato.minutes(comitato.second, decision="=HYPERLINK(\"http://x\")",
                     actions=[("Preparare il bando", None, "in_corso")])

    page = client.get(comitato.url).get_data(as_text=True)
    order = [page.index(t) for t in ("Comitato di gennaio", "Comitato di febbraio",
                                     "Comitato di marzo")]
    assert order == sorted(order)
    assert "Adottare il modello regionale" in page and "Mappare i servizi" in page
    assert "verbale approvato il" in page and "verbale in bozza" in page
    assert "in ritardo" in page
    assert "2 azioni aperte (di cui 1 in ritardo) · 1 fatta" in page
    assert "senza regola di ripetizione" in page
    assert f'<h3 class="h4" id="incontro-{comitato.first}-titolo">' in page  # under the space's h1

    printable = client.get(f"{comitato.url}/stampa").get_data(as_text=True)
    assert "data-print" in printable and "Adottare il modello regionale" in printable
    assert f'<h2 class="h4" id="incontro-{comitato.first}-titolo">' in printable

    decisions = client.get(f"{comitato.url}/decisioni.csv")
    assert decisions.headers["Content-Disposition"].endswith(
        f'filename="serie-{comitato.series_id}-decisioni.csv"')
    rows = _rows(decisions)
    assert rows[0] == ["Data", "Incontro", "Punto dell'ordine del giorno", "Decisione",
                       "Verbale"]
    assert [r[1:4] for r in rows[1:]] == [
        ["Comitato di gennaio", "", "Adottare il modello regionale"],
        ["Comitato di febbraio", "", "'=HYPERLINK(\"http://x\")"]]  # never a formula
    actions = _rows(client.get(f"{comitato.url}/azioni.csv"))
    assert actions[0][-2:] == ["Stato", "In ritardo"]
    assert [(r[2], r[3], r[5], r[6]) for r in actions[1:]] == [
        ("Mappare i servizi", "Membro Alleanza", "Aperta", "sì"),
        ("Scrivere al Comune", "Membro Alleanza", "Fatta", ""),
        ("Preparare il bando", "Membro Alleanza", "In corso", "")]

    # the space's meetings list links the series
    listing = client.get(f"/spazi/{world.reserved.slug}/incontri/").get_data(as_text=True)
    assert f'href="{comitato.url}"' in listing and "3 incontri" in listing


def test_what_a_member_reads_follows_the_minutes_rules(app, world, client, new_client):
    comitato = Comitato(app, world, client)
    comitato.minutes(comitato.first, decision="Decisione approvata", approve=True)
    comitato.minutes(comitato.second, decision="Decisione in bozza",
                     actions=[("Azione del membro", None, "aperta")])
    member = new_client()
    member.login(world.member.email)
    page = member.get(comitato.url).get_data(as_text=True)
    assert "Decisione approvata" in page
    assert "Decisione in bozza" not in page  # draft minutes: only their writers
    assert "Azione del membro" in page  # but their own action, as in «Le mie azioni»
    rows = _rows(member.get(f"{comitato.url}/decisioni.csv"))
    assert [r[3] for r in rows[1:]] == ["Decisione approvata"]

    comitato.minutes(comitato.first, decision="Decisione in modifica")  # an amendment
    page = member.get(comitato.url).get_data(as_text=True)
    assert "Decisione approvata" in page and "Decisione in modifica" not in page
    assert "valgono le decisioni della versione approvata" in page
    rows = _rows(member.get(f"{comitato.url}/decisioni.csv"))
    assert [(r[3], r[4]) for r in rows[1:]] == [("Decisione approvata", "Approvato")]
    writer = _rows(client.get(f"{comitato.url}/decisioni.csv"))  # who writes the amendment
    assert [(r[3], r[4]) for r in writer[1:]] == [
        ("Decisione approvata", "Bozza"), ("Decisione in modifica", "Bozza"),
        ("Decisione in bozza", "Bozza")]
    # a member does not change a meeting's series
    assert _choose(member, comitato.third, "").status_code == 403
    assert _series_of(app, comitato.third) == comitato.series_id


def test_an_outsider_finds_no_series_of_a_private_space(app, world, client, new_client):
    comitato = Comitato(app, world, client)
    comitato.minutes(comitato.first, decision="Decisione riservata", approve=True)
    with app.app_context():  # invited to one meeting: they see it, not the series
        services.invite(db.session.get(Meeting, comitato.third),
                        db.session.get(User, world.coordinator.id), user_ids=[world.outsider.id])
        db.session.commit()
    outsider = new_client()
    outsider.login(world.outsider.email)
    for suffix in ("", "/stampa", "/decisioni.csv", "/azioni.csv"):
        response = outsider.get(comitato.url + suffix)
        assert response.status_code == 404, suffix
        assert "Decisione riservata" not in response.get_data(as_text=True)
    page = outsider.get(f"/incontri/{comitato.third}").get_data(as_text=True)
    assert "Comitato ATS Bergamo" not in page  # no link to the series, not even its title
    assert "Comitato di febbraio" not in page  # nor the previous meeting
    assert outsider.get(f"/incontri/{comitato.third}/serie").status_code == 403
    # another space's series is not found under this space
    assert client.get(f"/spazi/{world.regional.slug}/incontri/serie/"
                      f"{comitato.series_id}").status_code == 404


def test_the_series_form_explains_what_is_wrong_and_keeps_what_was_typed(app, world, client):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id)
    client.login(world.coordinator.email)
    page = client.get(f"/incontri/{meeting_id}/serie").get_data(as_text=True)
    assert "Aggiungi l'incontro a una serie" in page and 'for="series"' in page
    response = _choose(client, meeting_id, "nuova", "  ")
    assert response.status_code == 400
    assert "Scrivi il titolo della nuova serie" in response.get_data(as_text=True)
    hostile = "<script>alert(1)</script>\x00" + "x" * 300
    response = _choose(client, meeting_id, "nuova", hostile)
    assert response.status_code == 400 and "<script>alert" not in response.get_data(as_text=True)
    response = _choose(client, meeting_id, "999999")  # a series that is not a choice
    assert response.status_code == 400 and _series_of(app, meeting_id) is None
    response = _choose(client, meeting_id, "nuova", "Comitato <b>ATS</b>")
    assert response.status_code == 302
    series_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Comitato &lt;b&gt;ATS&lt;/b&gt;" in series_page
    # out of the series again
    assert _choose(client, meeting_id, "").status_code == 302
    assert _series_of(app, meeting_id) is None


def test_a_series_of_another_space_is_refused_by_the_service(app, world, factory):
    meeting_id = Meetings(app).make(world.reserved.slug, world.coordinator.id)
    with app.app_context():
        other = MeetingSeries(space_id=world.regional.id, title="Altrove", frequency="",
                              occurrences=0)
        db.session.add(other)
        db.session.flush()
        meeting = db.session.get(Meeting, meeting_id)
        coordinator = db.session.get(User, world.coordinator.id)
        try:
            meeting_series.move_to_series(meeting, coordinator, other)
        except Exception as error:  # noqa: BLE001 - the ServiceError's message is checked
            assert "serie di questo spazio" in str(error)
        else:
            raise AssertionError("a series of another space was accepted")


def test_editing_the_meeting_keeps_the_series_items_and_a_new_title_drops_the_link(
        app, world, client):
    comitato = Comitato(app, world, client)
    data = form_data(title="Comitato di marzo")
    for n, (title, _role, _previous) in enumerate(_agenda(app, comitato.third)):
        data[f"agenda-{n}-title"] = title
        data[f"agenda-{n}-presenter"] = ""
        data[f"agenda-{n}-planned_minutes"] = ""
    data = {k: v for k, v in data.items() if not k.startswith("agenda-") or k[7] in "0123"}
    assert client.post(f"/incontri/{comitato.third}/modifica", data).status_code == 302
    assert _agenda(app, comitato.third)[0] == (APPROVAL, "approva_verbale", comitato.second)
    data["agenda-0-title"] = "Saluti"
    assert client.post(f"/incontri/{comitato.third}/modifica", data).status_code == 302
    assert _agenda(app, comitato.third)[0] == ("Saluti", "", None)


def test_the_series_page_runs_the_same_statements_for_three_meetings_or_nine(
        app, world, client, new_client, count_queries):
    comitato = Comitato(app, world, client)
    comitato.minutes(comitato.first, decision="Decisione 0", approve=True)
    comitato.minutes(comitato.first, decision="In modifica")  # the approved version is read
    member = new_client()
    member.login(world.member.email)

    def measure():
        counts = []
        for reader in (client, member):
            with count_queries() as statements:
                response = reader.get(comitato.url)
            assert response.status_code == 200
            counts.append(len(statements))
        return counts

    small = measure()
    meetings = Meetings(app)
    for n in range(1, 7):
        meeting_id = meetings.past(world.reserved.slug, world.coordinator.id, days=90 + n,
                                   title=f"Comitato {n}")
        assert _choose(client, meeting_id, str(comitato.series_id)).status_code == 302
        comitato.minutes(meeting_id, decision=f"Decisione {n}",
                         actions=[(f"Azione {n}", None, "aperta")], approve=n % 2 == 0)
        if n % 3 == 0:
            comitato.minutes(meeting_id, decision=f"Modifica {n}")
    page = member.get(comitato.url).get_data(as_text=True)
    assert "Decisione 6" in page and "Modifica 6" not in page and "Azione 5" in page
    assert measure() == small
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Action)) == 6


def test_the_series_pages_read_in_english(app, world, client):
    comitato = Comitato(app, world, client)
    comitato.minutes(comitato.first, actions=[
        ("Mappare i servizi", date.today() - timedelta(days=5), "aperta")])
    client.post("/lingua", {"lang": "en", "next": "/"})
    page = client.get(comitato.url).get_data(as_text=True)
    assert "Meeting series" in page and "no repetition rule" in page
    assert "1 open action (1 of them overdue)" in page and "overdue" in page
    meeting = client.get(f"/incontri/{comitato.third}").get_data(as_text=True)
    assert "Approval of the minutes of the previous meeting" in meeting
    assert "draft minutes" in meeting and "Change series" in meeting
    header = _rows(client.get(f"{comitato.url}/azioni.csv"))[0]
    assert header[-2:] == ["Status", "Overdue"]
