"""A version in every static file's URL: `url_for('static', filename='css/cop.css')` gives
`/static/css/cop.css?v=1a2b3c4d5e`, the start of the SHA-256 of the file's content.

nginx serves /static/ itself and lets browsers keep a versioned file for a year without asking
again (deploy/nginx/cop.conf); a changed file gets a new URL, so nobody keeps an old stylesheet
after an update. The version comes from the content, not the modification time, so two app
servers with the same code write the same URLs. Each file is read once per process (the
versions live on the app): after an update, `systemctl reload cop-web` starts new workers,
which read the new files. A file that does not exist gets no version (Flask answers 404).
"""
from __future__ import annotations

import hashlib

from flask import Flask
from werkzeug.security import safe_join

VERSION_LENGTH = 10  # hex digits of the SHA-256


def init_app(app: Flask) -> None:
    versions: dict[str, str | None] = {}
    app.extensions["static_versions"] = versions

    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values:
            return
        filename = values.get("filename")
        if not filename:
            return
        if filename not in versions:
            versions[filename] = file_version(app.static_folder, filename)
        if versions[filename]:
            values["v"] = versions[filename]


def file_version(folder: str | None, filename: str) -> str | None:
    path = safe_join(folder, filename) if folder else None
    if path is None:
        return None
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError:  # missing, or a directory
        return None
    return digest.hexdigest()[:VERSION_LENGTH]
