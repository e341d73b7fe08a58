"""Everything cop.backup plugs into the app: the `flask cop backup` and `flask cop restore`
commands."""
from __future__ import annotations

from flask import Flask

from cop.backup.cli import backup, restore
from cop.cli import cop_cli


def init_app(app: Flask) -> None:
    cop_cli.add_command(backup)
    cop_cli.add_command(restore)
