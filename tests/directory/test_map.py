"""The skills map: ATS × skill group counts at level 3 or 4, gaps and who could fill them."""
from __future__ import annotations

import re

from tests.directory.helpers import ats_id, main, profile


def _row(page: str, ats_name: str) -> list[int]:
    row = re.search(rf'<tr><th scope="row">{ats_name}</th>(.*?)</tr>', page).group(1)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row)]


def test_counts_gaps_and_who_fills_them(app, client, world, factory):
    bg = factory.organisation("Ente di Bergamo", ats_code="BG")
    mi = factory.organisation("Ente di Milano", ats_code="MI")
    one, two = factory.user(organisation_id=bg.id), factory.user(organisation_id=bg.id)
    far = factory.user(name="Esperta Milanese", organisation_id=mi.id)
    profile(app, one, levels={"A1": 3, "A2": 4, "C1": 2})
    profile(app, two, levels={"A1": 4})
    profile(app, far, levels={"C1": 4, "A1": 3})
    client.login(world.member.email)
    page = main(client.get(f"/rubrica/mappa?ats={ats_id(app, 'BG')}"))
    assert _row(page, "Bergamo") == [2, 0, 0, 0, 0, 0, 0, 0]  # two people in group A; C1 at 2
    assert _row(page, "Milano") == [1, 0, 1, 0, 0, 0, 0, 0]
    assert '<svg role="img"' in page and "<title id=\"map-title\">" in page
    gaps = page[page.index('id="gaps-title"'):]
    assert "38 competenze che nessuno, in questa ATS" in gaps
    assert "Analisi dei bisogni" not in gaps  # held in Bergamo
    facilitation = re.search(r"<dt>Facilitazione di gruppi e tavoli.*?</dd>", gaps, re.S).group(0)
    assert "Esperta Milanese" in facilitation and "posso formare altri" in facilitation
    assert "Nessuno nella regione" in gaps  # e.g. H5


def _set_visibility(app, person, visibility):
    from cop.auth.models import User
    from cop.directory import services
    from cop.extensions import db

    with app.app_context():
        user = db.session.get(User, person.id)
        details = services.details_row(user)
        details.visibility = visibility
        db.session.commit()


def test_kept_figures_never_show_a_profile_hidden_since_nor_a_restricted_one(
        app, client, world, factory, new_client):
    """The open profiles' figures are stored for everybody (refreshed every few minutes); the
    restricted ones each viewer may see are added per request, and named people are read
    again."""
    mi = factory.organisation("Ente di Milano", ats_code="MI")
    open_now = factory.user(name="Aperta Ora", organisation_id=mi.id)
    restricted = factory.user(name="Riservata Sempre", organisation_id=mi.id)
    profile(app, open_now, levels={"H3": 4})
    profile(app, restricted, levels={"H3": 3, "A1": 3}, visibility="spazi")
    factory.member(world.reserved, restricted)  # shares a space with the member only
    bergamo = f"/rubrica/mappa?ats={ats_id(app, 'BG')}"

    client.login(world.outsider.email)  # the outsider's visit fills the kept figures
    page = main(client.get(bergamo))
    assert _row(page, "Milano")[0] == 0 and _row(page, "Milano")[7] == 1  # H: Aperta Ora
    assert "Aperta Ora" in page and "Riservata Sempre" not in page
    member = new_client()
    member.login(world.member.email)
    page = main(member.get(bergamo))
    assert _row(page, "Milano")[0] == 1 and _row(page, "Milano")[7] == 2
    assert "Aperta Ora" in page and "Riservata Sempre" in page

    _set_visibility(app, open_now, "spazi")  # not through the service: the figures stay
    page = main(client.get(bergamo))
    assert "Aperta Ora" not in page and "Riservata Sempre" not in page
    assert _row(page, "Milano")[0] == 0  # the restricted one is never counted for him
    assert _row(page, "Milano")[7] == 1  # counted (never named) until the next refresh
    assert app.test_cli_runner().invoke(args=["cop", "refresh-figures"]).exit_code == 0
    assert _row(main(client.get(bergamo)), "Milano")[7] == 0


def test_a_profile_changed_shows_at_once_on_the_kept_map(app, client, world, factory):
    """The stored figures are computed again with the write that saves a profile's skills, in
    its transaction: every server shows them at once."""
    mi = factory.organisation("Ente di Milano", ats_code="MI")
    person = factory.user(name="Nuova Esperta", organisation_id=mi.id)
    bergamo = f"/rubrica/mappa?ats={ats_id(app, 'BG')}"
    client.login(world.member.email)
    assert _row(main(client.get(bergamo)), "Milano")[0] == 0  # stored from now on
    profile(app, person, levels={"A1": 4})  # through the service, committed
    assert _row(main(client.get(bergamo)), "Milano")[0] == 1
