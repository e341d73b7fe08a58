"""Features plug panels into the space home: they show when their loader returns data."""
import pytest

from cop.spaces import panels


@pytest.fixture
def demo_panel(tmp_path, app):
    template = "spaces/_test_panel.html"
    path = app.template_folder + "/" + template
    with open(path, "w") as handle:
        handle.write('<section><h2>{{ data.title }}</h2><p>{{ space.name }}</p></section>')
    panels.register_panel(panels.Panel(
        "test", template,
        lambda space, user: {"title": "Pannello di prova"} if space.kind == "alleanza" else None))
    yield
    panels._PANELS[:] = [p for p in panels._PANELS if p.name != "test"]
    import os

    os.remove(path)


def test_a_registered_panel_shows_where_its_loader_says(client, world, demo_panel):
    client.login(world.coordinator.email)
    page = client.get(f"/spazi/{world.reserved.slug}/").get_data(as_text=True)
    assert "<h2>Pannello di prova</h2><p>Alleanza Bergamo 1</p>" in page
    page = client.get(f"/spazi/{world.regional.slug}/").get_data(as_text=True)
    assert "Pannello di prova" not in page
