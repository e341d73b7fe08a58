"""The files tests keep their uploads in a temporary folder, never in instance/uploads."""
from __future__ import annotations

import pytest


@pytest.fixture
def upload_folder(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(make_app, upload_folder):
    return make_app(UPLOAD_FOLDER=str(upload_folder))
