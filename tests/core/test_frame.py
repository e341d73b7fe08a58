"""The page's frame kept between requests (cop/chrome.py): a kept frame is the frame that would
be drawn, and nobody's frame ever shows another person's name, menu or token."""
from __future__ import annotations

import re

# A CSRF token (Flask-WTF's signed value: data, timestamp, signature), wherever it stands.
CSRF_VALUE = re.compile(r"[\w-]{20,}\.[\w-]{6}\.[\w-]{20,}")
HEADER = re.compile(r"<header.*?</header>", re.DOTALL)


def _masked(page: str) -> str:
    """CSRF tokens blanked: a token is signed with the second it was made."""
    return CSRF_VALUE.sub("token", page)


def _header(response) -> str:
    return HEADER.search(response.get_data(as_text=True)).group(0)


def test_a_kept_frame_is_the_frame_that_would_be_drawn(app, world, client, new_client):
    visitor = new_client()
    client.login(world.admin.email)
    cases = [(visitor, "/accedi"), (visitor, "/accessibilita"), (client, "/"),
             (client, "/admin/"), (client, f"/persone/{world.admin.id}"),
             (client, f"/persone/{world.member.id}"), (client, "/accessibilita?q=%3Cb%3E%22x")]
    cache = app.extensions["frame_parts"]
    size = cache.size
    for who, url in cases:
        cache.size = 0
        drawn = _masked(who.get(url).get_data(as_text=True))
        cache.size = size
        filled = _masked(who.get(url).get_data(as_text=True))
        kept = _masked(who.get(url).get_data(as_text=True))
        assert drawn == filled == kept, url
    assert len(cache) >= 6


def test_nobody_gets_another_persons_frame(app, world, new_client):
    admin, member = new_client(), new_client()
    admin.login(world.admin.email)
    member.login(world.member.email)
    with app.app_context():
        from cop.auth.models import User
        from cop.extensions import db
        admin_name = db.session.get(User, world.admin.id).name
        member_name = db.session.get(User, world.member.id).name
    for _ in range(2):  # the second round is served from the kept parts
        mine = admin.get("/")
        theirs = member.get("/")
        header = _header(mine)
        assert admin_name in header and member_name not in header
        assert "Amministrazione" in header and f'href="/persone/{world.admin.id}"' in header
        header = _header(theirs)
        assert member_name in header and admin_name not in header
        assert "Amministrazione" not in header
        assert f'href="/persone/{world.member.id}"' in header
        for response in (mine, theirs):
            page = response.get_data(as_text=True)
            tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
            meta = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            assert tokens == {meta}


def test_the_current_menu_entry_follows_the_page(world, client):
    client.login(world.member.email)
    client.get("/discussioni")  # fills the parts for one page
    header = _header(client.get("/pratiche/"))
    current = re.findall(r'<a class="nav-link active"[^>]*><span>([^<]+)', header)
    assert current == ["Buone pratiche"]


def test_the_language_switch_returns_to_this_page_escaped(world, client):
    client.login(world.member.email)
    client.get("/accessibilita?q=prima")
    page = client.get("/accessibilita?q=%3Cscript%3E%22").get_data(as_text=True)
    assert 'name="next" value="/accessibilita?q=%3Cscript%3E%22"' in page \
        or 'name="next" value="/accessibilita?q=&lt;script&gt;&#34;"' in page
    assert "<script>\"" not in page
    assert 'value="/accessibilita?q=prima"' not in page
