"""The upload field any form can carry, and its validator (the same checks as the service).

    class PostForm(FlaskForm):
        body = TextAreaField(...)
        attachments = attachments_field()

When editing an owner that already has files, set `form.existing_attachments = n` before
validating so that the count limit includes them. The template renders the field with
templates/files/_field.html, in a form with enctype="multipart/form-data".
"""
from __future__ import annotations

from flask import current_app
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from werkzeug.datastructures import FileStorage
from wtforms.validators import ValidationError

from cop.files.checks import (
    ACCEPT,
    Refused,
    allowed_types_text,
    check_upload,
    format_size,
    too_many_message,
)


def chosen_files(field) -> list[FileStorage]:
    """The files sent in a MultipleFileField, without the empty part of an untouched input."""
    return [f for f in (field.data or []) if isinstance(f, FileStorage) and f.filename]


class AttachmentsAllowed:
    """Each file passes the checks of cop.files.checks, and there are not too many.

    Every refused file gets its own error message on the field."""

    def __call__(self, form, field) -> None:
        files = chosen_files(field)
        config = current_app.config
        limit = config["ATTACHMENTS_PER_ITEM"]
        existing = getattr(form, "existing_attachments", 0)
        if existing + len(files) > limit:
            raise ValidationError(too_many_message(limit, existing))
        for upload in files:
            try:
                check_upload(upload.filename, upload.stream, config["ATTACHMENT_MAX_BYTES"])
            except Refused as refusal:
                field.errors.append(refusal.message)


def _description() -> str:
    config = current_app.config
    return _("Facoltativi. Fino a %(count)d file, di %(size)s al massimo ciascuno. "
             "Sono ammessi: %(types)s.", count=config["ATTACHMENTS_PER_ITEM"],
             size=format_size(config["ATTACHMENT_MAX_BYTES"]), types=allowed_types_text())


def attachments_field(label=None) -> MultipleFileField:
    return MultipleFileField(label or _l("Allegati"), validators=[AttachmentsAllowed()],
                             description=LazyString(_description), render_kw={"accept": ACCEPT})
