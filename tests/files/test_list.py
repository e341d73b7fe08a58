"""The list of attachments under a post: names linked to their download, type and size."""
from __future__ import annotations

from flask import render_template_string

from cop.extensions import db
from cop.files import queries
from tests.files import samples
from tests.files.test_storage import store, upload

MACRO = ('{% from "files/_list.html" import attachment_list %}'
         '{{ attachment_list(attachments, heading_level=level) }}')


def test_the_list_links_each_file_with_its_type_and_size(app, world):
    big_pdf = samples.PDF + b"0" * (1258291 - len(samples.PDF))
    store(app, world.reserved.id, world.member.id,
          [upload("Relazione finale.pdf", big_pdf), upload("Foto & ricordi.png", samples.png())])
    with app.test_request_context("/"):
        attachments = queries.attachments_by_owner("test", [1])[1]
        html = render_template_string(MACRO, attachments=attachments, level=3)
        [pdf, image] = attachments
        assert '<h3 class="h6 mb-1">Allegati</h3>' in html
        link = f'<a href="/allegati/{pdf.id}/Relazione%20finale.pdf">Relazione finale.pdf</a>'
        assert link in html
        assert "(PDF, 1,2 MB)" in html
        assert f"/allegati/{image.id}/Foto%20&amp;%20ricordi.png" in html
        assert ">Foto &amp; ricordi.png</a>" in html
        assert "(Immagine PNG, " in html and " byte)" in html
        db.session.rollback()


def test_without_a_heading_the_list_is_labelled(app, world):
    store(app, world.reserved.id, world.member.id, [upload("a.pdf", samples.PDF)])
    with app.test_request_context("/"):
        attachments = queries.attachments_by_owner("test", [1])[1]
        html = render_template_string(MACRO, attachments=attachments, level=None)
        assert "<h" not in html.replace("<html", "")
        assert '<ul class="list-unstyled mb-0" aria-label="Allegati">' in html


def test_the_partial_can_be_included(app, world):
    store(app, world.reserved.id, world.member.id, [upload("a.pdf", samples.PDF)])
    with app.test_request_context("/"):
        attachments = queries.attachments_by_owner("test", [1])[1]
        html = render_template_string(
            '{% with attachments=items %}{% include "files/_list.html" %}{% endwith %}',
            items=attachments)
        assert ">a.pdf</a>" in html


def test_nothing_is_shown_without_attachments(app):
    with app.test_request_context("/"):
        assert render_template_string(MACRO, attachments=[], level=2).strip() == ""
