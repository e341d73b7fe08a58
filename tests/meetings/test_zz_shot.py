from datetime import date, time
from tests.meetings.test_calendar import make, cancel, soon
from cop.meetings.times import to_utc

def test_shot(app, world, client):
    make(app, world, "Tavolo di coordinamento", to_utc(date(2026, 12, 10), time(10)))
    make(app, world, "Laboratorio caregiver", to_utc(date(2026, 12, 10), time(14, 30)))
    c = make(app, world, "Incontro annullato", to_utc(date(2026, 12, 15), time(9)))
    cancel(app, c, world.coordinator.id)
    make(app, world, "Plenaria regionale", to_utc(date(2026, 12, 18), time(10)), slug=world.regional.slug)
    client.login(world.coordinator.email)
    html = client.get("/calendario/?mese=2026-12").get_data(as_text=True)
    html = html.replace('href="/static/', 'href="file:///work/main/static/').replace('src="/static/', 'src="file:///work/main/static/')
    open("/tmp/cal.html", "w").write(html)
