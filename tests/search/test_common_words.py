"""A word found in more documents than the candidate cap: counted and ranked among the newest."""
from cop.search import queries


def test_a_very_common_word_is_ranked_among_the_newest_matches(app, world, disc, monkeypatch,
                                                              client):
    monkeypatch.setattr(queries, "CANDIDATES", 5)
    thread = disc.thread(world.regional, world.member, "Famiglie e lavoro", "Per le famiglie")
    for i in range(8):
        disc.reply(thread, world.coordinator, f"Le famiglie numero {i}")
    page = disc.search(world.member, "famiglie")
    assert page.capped and page.total == 5
    assert len(page.hits) == 5
    oldest_kept = {hit.doc_id for hit in page.hits}
    assert thread.id not in {h.doc_id for h in page.hits if h.doc_type == "thread"}
    assert len(oldest_kept) == 5
    selective = disc.search(world.member, "numero 7")
    assert not selective.capped and selective.total == 1
    client.login(world.member.email)
    text = client.get("/cerca?q=famiglie").get_data(as_text=True)
    assert "Più di 5 risultati" in text
