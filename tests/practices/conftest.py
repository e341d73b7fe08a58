"""Fixtures shared with other test packages."""

from tests.search.conftest import disc  # noqa: F401 (fixture, used by test_form_rows.py)
