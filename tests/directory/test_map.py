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
