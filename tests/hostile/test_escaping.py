"""What a member types is never markup on a page: no HTML page takes a template or macro
rendered with autoescape off (issue 16, item 1)."""
from __future__ import annotations

from jinja2 import nodes

from cop.spaces import panels
from tests.notifications.helpers import add_reply, new_thread

META = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'


def _references(env, name):
    """The templates `name` extends, includes or imports, by constant name."""
    source = env.loader.get_source(env, name)[0]
    tree = env.parse(source)
    for node in tree.find_all((nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport)):
        if isinstance(node.template, nodes.Const):
            yield node.template.value


def test_no_escaping_template_uses_a_template_without_autoescape(app):
    env = app.jinja_env
    offenders = []
    for name in env.list_templates():
        if not env.autoescape(name):
            continue
        for used in _references(env, name):
            if not env.autoescape(used):
                offenders.append(f"{name} uses {used}")
    # The one template chosen at run time: the space home's panels.
    offenders += [p.template for p in panels._PANELS if not env.autoescape(p.template)]
    assert offenders == []
    assert panels._PANELS
    assert env.autoescape("notifications/index.html")  # the sweep looks where it should


def test_a_thread_title_with_markup_shows_as_text_in_the_notification_list(
        app, world, client):
    thread_id, _ = new_thread(app, world.reserved, world.member, title=f"Prima {META}")
    add_reply(app, thread_id, world.coordinator, f"Risposta {META}")  # a reply to the member
    client.login(world.member.email)
    page = client.get("/notifiche/").get_data(as_text=True)
    assert "Prima" in page and "Risposta" in page
    assert "<meta http-equiv" not in page
    assert "&lt;meta http-equiv=&#34;refresh&#34;" in page
