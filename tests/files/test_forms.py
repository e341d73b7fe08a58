"""The upload field: the same checks as the service, errors beside the field, the rest kept."""
from __future__ import annotations

import io
import re

from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import StringField

from cop.files.forms import attachments_field, chosen_files
from tests.files import samples


class PostForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Titolo")
    attachments = attachments_field()


def posted(app, files, title="Il mio titolo"):
    data = {"title": title, "attachments": [(io.BytesIO(d), name) for name, d in files]}
    return app.test_request_context("/", method="POST", data=data,
                                    content_type="multipart/form-data")


FIELD = ('{% from "files/_field.html" import attachments_field %}'
         '{{ attachments_field(form.attachments) }}')


def test_good_files_pass(app):
    with posted(app, [("a.pdf", samples.PDF), ("b.docx", samples.ooxml("docx"))]):
        form = PostForm()
        assert form.validate(), form.errors
        assert [f.filename for f in chosen_files(form.attachments)] == ["a.pdf", "b.docx"]
        # The streams are still readable for the service that stores them.
        assert chosen_files(form.attachments)[0].stream.read() == samples.PDF


def test_no_file_is_fine(app):
    with app.test_request_context("/", method="POST", data={"title": "x", "attachments": (
            io.BytesIO(b""), "")}, content_type="multipart/form-data"):
        form = PostForm()
        assert form.validate()
        assert chosen_files(form.attachments) == []


def test_each_refused_file_has_its_own_message_and_the_text_is_kept(app):
    with posted(app, [("ok.pdf", samples.PDF), ("finto.pdf", samples.png()),
                      ("logo.svg", samples.SVG)]):
        form = PostForm()
        assert not form.validate()
        assert form.attachments.errors[0] == ("Il file «finto.pdf» non è un PDF valido: il "
                                              "contenuto non corrisponde all'estensione.")
        assert form.attachments.errors[1].startswith("Tipo di file non ammesso: «logo.svg».")
        assert len(form.attachments.errors) == 2
        assert form.title.data == "Il mio titolo"


def test_too_many_files(app):
    with posted(app, [(f"parte {n}.pdf", samples.PDF) for n in range(6)]):
        form = PostForm()
        assert not form.validate()
        assert form.attachments.errors == ["Puoi allegare al massimo 5 file."]


def test_too_many_with_the_files_already_attached(app):
    with posted(app, [(f"parte {n}.pdf", samples.PDF) for n in range(2)]):
        form = PostForm()
        form.existing_attachments = 4
        assert not form.validate()
        assert form.attachments.errors == ["Puoi allegare al massimo 5 file: ce ne sono già 4."]


def test_the_size_limit(make_app, tmp_path):
    app = make_app(UPLOAD_FOLDER=str(tmp_path), ATTACHMENT_MAX_BYTES=1024 * 1024)
    with posted(app, [("grande.pdf", samples.PDF + b"0" * 1024 * 1024)]):
        form = PostForm()
        assert not form.validate()
        assert form.attachments.errors == ["Il file «grande.pdf» supera il limite di 1 MB."]


def test_the_field_renders_accessibly(app):
    with app.test_request_context("/"):
        html = render_template_string(FIELD, form=PostForm())
    assert '<label class="form-label cop-label" for="attachments">Allegati</label>' in html
    field = re.search(r"<input[^>]*>", html).group(0)
    assert 'type="file"' in field and "multiple" in field
    assert 'aria-describedby="attachments-help"' in field
    assert 'accept=".pdf,.doc,.docx,' in field
    assert ('Facoltativi. Fino a 5 file, di 10 MB al massimo ciascuno. Sono ammessi: PDF, '
            'documenti (DOC, DOCX, ODT, RTF, TXT)') in html
    assert "aria-invalid" not in html
    assert "selezionali di nuovo" not in html


def test_the_field_shows_its_errors_and_asks_to_choose_the_files_again(app):
    with posted(app, [("finto.pdf", samples.png())]):
        form = PostForm()
        form.validate()
        html = render_template_string(FIELD, form=form)
    field = re.search(r"<input[^>]*>", html).group(0)
    assert 'aria-describedby="attachments-help attachments-again attachments-error"' in field
    assert 'aria-invalid="true"' in field and "is-invalid" in field
    assert '<div id="attachments-error" class="cop-error">' in html
    assert "Errore: </span>Il file «finto.pdf» non è un PDF valido" in html
    assert "selezionali di nuovo" in html


