"""`python -m bench.scale` (bench/scale/__main__.py) at a small factor: proportions, counters
that agree with the rows, trees as replies would build them, an index that reindexing leaves as
it is, pages that work for the reported member, and a refusal the second time."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.scale.__main__ import main as seed_scale_main
from bench.scale.services import BENCHMARK_PASSWORD, ScaleRefused
from bench.scale.services import seed_scale as run
from bench.scale.text import Writer
from cop import access
from cop.auth.models import User
from cop.directory import services as directory
from cop.directory.models import (
    Endorsement,
    PersonSkill,
    ProfileDetails,
    TrainerOffer,
    trainer_territories,
)
from cop.directory.queries import details_of
from cop.discussions import services as discussions
from cop.discussions.models import MAX_TREE_DEPTH, Post, PostUseful, Thread
from cop.extensions import db
from cop.markdown import render_markdown
from cop.network.models import Organisation
from cop.notifications.models import Notification, Subscription
from cop.search import queries as search_queries
from cop.search.models import SearchEntry
from cop.search.services import reindex_all
from cop.spaces.models import Membership, Space
from tests.directory.helpers import main

FACTOR = 0.05
LONG = 60
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def seeded(app, tmp_path, capsys):
    path = tmp_path / "facts.json"
    status = seed_scale_main([
        "--factor", str(FACTOR), "--long-thread-replies", str(LONG), "--facts", str(path)],
        app=app)
    output = capsys.readouterr()
    assert status == 0, output.out + output.err
    facts = json.loads(path.read_text())
    facts["output"] = output.out
    return facts


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_counts_follow_the_factor(app, seeded):
    with app.app_context():
        assert _count(Organisation) == round(567 * FACTOR) + 1  # + the Region
        assert _count(User) == round(1500 * FACTOR) + 3  # + the Region's admin and curators
        assert _count(Thread) == round(1000 * FACTOR)
        posts = _count(Post)
        assert 10000 * FACTOR <= posts <= 10000 * FACTOR + 3 * LONG + 30
        assert _count(Space) == 48 + 2  # ATS and Alleanze + 10·f thematic (at least 2)
        users = db.session.scalars(select(User)).all()
        assert len({u.handle for u in users}) == len({u.email for u in users}) == len(users)
        assert len({u.password_hash for u in users}) == 1
    assert seeded["counts"]["posts"] == posts
    assert "membro semplice" in seeded["output"] and seeded["member_email"] in seeded["output"]


def test_counters_agree_with_the_rows(app, seeded):
    with app.app_context():
        members = Counter(db.session.scalars(select(Membership.space_id)))
        for space in db.session.scalars(select(Space)):
            assert space.member_count == members[space.id], space.slug
        people = Counter(db.session.scalars(select(User.organisation_id)))
        for organisation in db.session.scalars(select(Organisation)):
            assert organisation.people_count == people[organisation.id]
        posts = defaultdict(list)
        for post in db.session.scalars(select(Post).order_by(Post.thread_id, Post.sort_key)):
            posts[post.thread_id].append(post)
        useful = Counter(db.session.scalars(select(PostUseful.post_id)))
        for thread in db.session.scalars(select(Thread)):
            _check_thread(thread, posts[thread.id], useful)


def _check_thread(thread: Thread, posts: list[Post], useful: Counter) -> None:
    visible = [p for p in posts if p.deleted_at is None and not p.hidden]
    latest = max(visible, key=lambda p: (p.created_at, p.id))
    assert thread.post_count == len(posts)
    assert thread.reply_count == len(visible) - 1
    assert (thread.last_activity_at, thread.last_poster_id) == (latest.created_at,
                                                                latest.author_id)
    opening, *replies = posts  # sort_key order: the opening ("") first, then the tree
    assert (opening.depth, opening.sort_key, opening.parent_id) == (0, "", None)
    assert opening.created_at == thread.created_at and opening.author_id == thread.author_id
    by_id = {p.id: p for p in posts}
    children = Counter(p.parent_id for p in replies)
    seen_keys: set[str] = {""}
    for post in posts:
        assert post.child_count == children[post.id]
        assert post.useful_count == useful[post.id]
    for post in replies:
        parent = by_id[post.parent_id]
        segment = post.sort_key.rsplit(".", 1)[-1]
        assert len(segment) == 6 and 1 <= int(segment) <= parent.child_count
        assert post.sort_key == (f"{parent.sort_key}.{segment}" if parent.sort_key else segment)
        assert parent.sort_key in seen_keys  # the parent is listed before
        seen_keys.add(post.sort_key)
        assert post.depth == parent.depth + 1 and post.id > parent.id
        assert post.created_at >= parent.created_at
        answered = by_id[post.reply_to_id]
        if answered.depth < MAX_TREE_DEPTH:
            assert answered.id == parent.id
        else:  # deep chains continue beside their parent
            assert answered.parent_id == parent.id


def test_long_threads_and_facts(app, seeded):
    long = seeded["long_thread"]
    assert len(seeded["long_threads"]) == 3 and long in seeded["long_threads"]
    assert {t["visibility"] for t in seeded["long_threads"]} >= {"regionale", "riservato"}
    assert all(t["reply_count"] == LONG for t in seeded["long_threads"])
    with app.app_context():
        thread = db.session.get(Thread, long["id"])
        assert thread.space.slug == long["slug"] and thread.space.visibility == "regionale"
        assert thread.post_count == long["post_count"] == LONG + 1
        busy = db.session.get(Thread, seeded["busy_thread"]["id"])
        assert busy.space.slug == seeded["busy_thread"]["slug"]
        latest = db.session.scalar(select(func.max(Thread.last_activity_at))
                                   .where(Thread.space_id == busy.space_id))
        assert busy.last_activity_at == latest and not busy.locked
        member = db.session.scalar(select(User).where(User.email == seeded["member_email"]))
        roles = set(db.session.scalars(select(Membership.role)
                                       .where(Membership.user_id == member.id)))
        assert member.site_role == "membro" and roles == {"membro"}
        assert len(seeded["writers"]) >= 2


def test_bodies_are_what_the_app_renders(app, seeded):
    with app.app_context():
        for post in db.session.scalars(select(Post)):
            mentioned = discussions._mentioned_users(post.body)
            assert post.body_html == discussions.render_post(post.body, mentioned), post.body
        assert db.session.scalar(select(func.count()).select_from(Post)
                                 .where(Post.body_html.contains('href="/persone/')))


def test_composed_html_falls_back_to_whole_rendering():
    import random

    writer = Writer(random.Random(1), pool_size=50,
                    render=lambda text: render_markdown(text).replace("<p>", "<p>\n"))
    assert not writer.self_test(samples=20) and writer.whole
    markdown, html = writer.body()
    assert html == writer.render(markdown)


def test_reindexing_changes_nothing(app, seeded):
    columns = [SearchEntry.doc_type, SearchEntry.doc_id, SearchEntry.space_id,
               SearchEntry.thread_id, SearchEntry.author_id, SearchEntry.created_at,
               SearchEntry.title, SearchEntry.body, SearchEntry.kind, SearchEntry.tags]
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email == seeded["member_email"]))

        def snapshot():
            rows = db.session.execute(select(*columns).order_by(SearchEntry.id)).all()
            found = {word: [(h.doc_type, h.doc_id) for h in
                            search_queries.search(member, word, per_page=50).hits]
                     for word in (seeded["rare_word"], seeded["common_word"])}
            return rows, found

        before = snapshot()
        reindex_all()
        db.session.commit()
        assert snapshot() == before
        rows, found = before
        assert len(found[seeded["rare_word"]]) == seeded["rare_word_documents"]
        assert len(found[seeded["common_word"]]) == 50


def test_pages_work_for_the_reported_member(seeded, client):
    assert seeded["password"] == BENCHMARK_PASSWORD
    client.login(seeded["member_email"], seeded["password"])
    long, busy = seeded["long_thread"], seeded["busy_thread"]
    last = -(-long["post_count"] // 50)
    for url in (f"/spazi/{busy['slug']}/discussioni/{busy['id']}",
                f"/spazi/{busy['slug']}/discussioni/",
                f"/spazi/{long['slug']}/discussioni/{long['id']}",
                f"/spazi/{long['slug']}/discussioni/{long['id']}?pagina={last}",
                "/discussioni", "/notifiche/", "/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/cerca?q={seeded['rare_word']}").get_data(as_text=True)
    assert page.count(f"<mark>{seeded['rare_word']}</mark>") >= 1
    assert "famiglie</mark>" in client.get("/cerca?q=famiglie").get_data(as_text=True)


def _names(page: str) -> list[str]:
    """The people a directory page lists, as tests/directory reads them."""
    return re.findall(r'<h3 class="h5 mb-1"><a href="/persone/\d+">([^<]+)</a>', page)


def test_the_directory_for_everybody(app, seeded, client):
    """Skills for everyone, counters that agree with the endorsements, endorsers who see the
    skills they confirm, search words as the app computes them, trainers with territories;
    the directory's pages list seeded people for the reported member."""
    skill = seeded["directory_skill"]
    with app.app_context():
        people = _count(User)
        per_person = Counter(db.session.scalars(select(PersonSkill.user_id)))
        assert len(per_person) == people and set(per_person.values()) <= set(range(3, 8))
        endorsed = Counter(db.session.execute(
            select(Endorsement.user_id, Endorsement.skill_code)).all())
        assert endorsed
        for row in db.session.scalars(select(PersonSkill)):
            assert row.endorsement_count == endorsed[(row.user_id, row.skill_code)]
        for endorsement in db.session.scalars(select(Endorsement)):
            endorser = db.session.get(User, endorsement.endorser_id)
            assert access.can(endorser, access.VIEW_DETAILS, details_of(endorsement.user_id))
        assert _count(ProfileDetails) == people  # saving skills makes the details row
        seeded_words = dict(db.session.execute(
            select(ProfileDetails.user_id, ProfileDetails.search_words)).all())
        for user in db.session.scalars(select(User).where(User.id.in_(seeded_words))):
            directory.refresh_search_words(user)
            assert db.session.get(ProfileDetails, user.id).search_words \
                == seeded_words[user.id], user.id
        db.session.rollback()
        trainers = set(db.session.scalars(select(TrainerOffer.user_id)))
        assert trainers and trainers <= set(seeded_words)
        assert set(db.session.scalars(select(trainer_territories.c.user_id))) == trainers
        holders = set(db.session.scalars(select(User.name).join(
            PersonSkill, PersonSkill.user_id == User.id).where(PersonSkill.skill_code == skill)))
        trainer_names = set(db.session.scalars(select(User.name).where(User.id.in_(trainers))))
        everybody = set(db.session.scalars(select(User.name)))
    assert seeded["directory_skill_people"] >= 1 and seeded["directory_word_people"] >= 1

    client.login(seeded["member_email"], seeded["password"])
    page = main(client.get(f"/rubrica/?competenza={skill}"))
    names = _names(page)
    assert names and set(names) <= holders
    page = main(client.get(f"/rubrica/?competenza={skill}&livello=2"))
    assert int(re.search(r"(\d+) person[ae]", page).group(1)) >= seeded["directory_skill_people"]
    page = main(client.get(f"/rubrica/?q={seeded['directory_word']}"))
    assert _names(page) and f"<mark>{seeded['directory_word']}</mark>" in page
    page = main(client.get("/rubrica/formatori"))
    assert int(re.search(r"(\d+) formator[ei]", page).group(1)) >= 1
    assert _names(page) and set(_names(page)) <= trainer_names and "Territori:" in page
    page = main(client.get("/rubrica/mappa"))
    cells = re.findall(r"<td>(\d+)</td>", page)
    assert len(cells) == 8 * 8 and sum(int(n) for n in cells) > 0  # ATS × skill groups
    gaps = page[page.index('id="gaps-title"'):]
    assert "competenze che nessuno, in questa ATS" in gaps
    fillers = set(re.findall(r'<a href="/persone/\d+">([^<]+)</a>', gaps))
    assert fillers and fillers <= everybody  # who elsewhere could fill the gaps


def test_the_app_writes_after_seeding(app, seeded):
    """Ids continue after the seeded ones (PostgreSQL sequences) and replies go on the tree."""
    with app.app_context():
        thread = db.session.get(Thread, seeded["long_thread"]["id"])
        author = db.session.scalar(select(User).where(User.email == seeded["member_email"]))
        opening = discussions.opening_post(thread)
        children = opening.child_count
        post = discussions.reply(thread, author, body="Una risposta dopo il seeding").post
        db.session.commit()
        assert post.id > seeded["counts"]["posts"]
        assert post.sort_key == str(children + 1).zfill(6)
        assert db.session.scalar(select(func.count()).select_from(Subscription)
                                 .where(Subscription.thread_id == thread.id,
                                        Subscription.user_id == author.id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.post_id == post.id))


def test_a_second_run_refuses(app, seeded, capsys):
    status = seed_scale_main(["--factor", str(FACTOR)], app=app)
    assert status != 0 and "già" in capsys.readouterr().err
    with app.app_context():
        with pytest.raises(ScaleRefused):
            run(FACTOR)
        assert _count(Thread) == round(1000 * FACTOR)


def test_reference_data_already_there_and_a_feature_seeder_after_the_built_in_ones(
        app, factory, monkeypatch):
    from bench.scale import services


    seen = {}

    def seed_practices(ctx, factor):
        seen.update(people=len(ctx.people), threads=len(ctx.extra["threads"]), factor=factor)

    monkeypatch.setattr(services, "SEEDERS", [])
    services.register_seeder("pratiche", seed_practices)
    with app.app_context():
        run(FACTOR, long_thread_replies=10)
        db.session.commit()
        assert _count(Space) == 48 + 2
    assert [name for name, _ in services.SEEDERS][-1] == "pratiche"
    assert seen == {"people": round(1500 * FACTOR) + 3, "threads": round(1000 * FACTOR),
                    "factor": FACTOR}


def test_the_entry_point_runs_from_the_repository_root():
    """`python -m bench.scale` as bench/run.py runs it: from the root, outside the app."""
    done = subprocess.run([sys.executable, "-m", "bench.scale", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "python -m bench.scale" in done.stdout and "--factor" in done.stdout


def test_the_app_neither_imports_the_generator_nor_offers_its_command(app):
    done = subprocess.run([sys.executable, "-c", "import sys, cop, cop.cli; print(sorted(m for m "
                           "in sys.modules if m.split('.')[0] == 'bench'))"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr
    commands = app.test_cli_runner().invoke(args=["cop", "--help"]).output
    assert "setup" in commands and "seed-scale" not in commands
