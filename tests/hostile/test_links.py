"""People are shown only the links they may follow (issue 17): every link on every page of the
route table, followed as the person who saw it, answers neither 403 nor 404."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tests.core.test_route_access import _clients, _url, routes  # noqa: F401

ACTORS = ("member", "coordinator", "outsider", "admin")
SKIPPED_PAGES = {"static", "files.download", "feeds.personal", "feeds.space"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _internal(page_url: str, href: str) -> str | None:
    target = urlsplit(urljoin(f"http://localhost{page_url}", href))
    if target.scheme not in ("http", "https") or target.netloc != "localhost":
        return None
    if target.path.startswith("/static/"):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def test_no_page_shows_a_link_its_reader_may_not_follow(app, world, routes):  # noqa: F811
    clients = _clients(app, world)
    broken, counted = [], {}
    for actor in ACTORS:
        client = clients[actor]
        pages = []
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods and rule.endpoint not in SKIPPED_PAGES:
                pages.append(_url(app, rule, routes))
        followed = set()
        for page_url in pages:
            response = client.get(page_url)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            parser = _Links()
            parser.feed(response.get_data(as_text=True))
            for href in parser.hrefs:
                target = _internal(page_url, href)
                if target is None or target in followed or target.startswith("/esci"):
                    continue
                followed.add(target)
                status = client.get(target).status_code
                if status in (403, 404):
                    broken.append(f"{actor}: {page_url} → {target} ({status})")
        counted[actor] = len(followed)
    assert broken == []
    assert min(counted.values()) > 30, counted  # the walk saw the pages it should
