"""Downloads: one access-checked route, served as a download that the browser never renders."""
from __future__ import annotations

from flask import abort, current_app, redirect, send_file, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cop import access
from cop.extensions import login_manager
from cop.files.blueprint import bp
from cop.files.checks import format_size
from cop.files.models import Attachment
from cop.files.services import path_of


@bp.app_template_filter("filesize")
def _filesize(size: int) -> str:
    return format_size(size)


@bp.route("/allegati/<int:attachment_id>/<path:filename>")
def download(attachment_id: int, filename: str):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    attachment = access.get_or_404(Attachment, attachment_id,  # not visible: it does not exist
                                   options=(joinedload(Attachment.space),))
    if filename != attachment.filename:  # an old or mangled link: only after the access check
        return redirect(url_for(".download", attachment_id=attachment.id,
                                filename=attachment.filename))
    path = path_of(attachment)
    if not path.is_file():
        current_app.logger.error("attachment %s: file %s is missing", attachment.id, path)
        abort(404)
    response = send_file(path, as_attachment=True, download_name=attachment.filename,
                         mimetype=attachment.content_type, conditional=True, etag=attachment.sha256)
    response.headers["Content-Type"] = attachment.content_type  # text: ours, charset included
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.cache_control.private = True  # reserved content: no shared cache keeps it
    return response
