"""`flask cop backup` and `flask cop restore FILE` (see cop/backup/services.py for what an
archive holds and how each step keeps the live site safe)."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from cop.backup import services
from cop.errors import ServiceError


def _size(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


@click.command("backup")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write it (default: BACKUP_FOLDER, else instance/backups).")
@click.option("--keep", type=click.IntRange(min=1),
              help="Then keep only the newest N backups in that folder.")
@with_appcontext
def backup(folder, keep):
    """Write the database (a consistent copy while the site runs) and the uploaded files into
    cop-backup-YYYYMMDD-HHMMSS.tar.gz (UTC, mode 0600)."""
    try:
        written = services.make_backup(folder, keep)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    uploads = written.manifest["uploads"]
    click.echo(f"Backup scritto: {written.path} ({_size(written.size)}; database "
               f"{written.manifest['dialect']}, {uploads['files']} file caricati).")
    for path in written.removed:
        click.echo(f"Backup vecchio rimosso: {path.name}")


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(archive, yes):
    """Put a backup back: the database and the uploaded files are REPLACED by the archive's.
    The archive is checked whole first; a damaged one restores nothing. Stop the web server
    and the workers first."""
    try:
        manifest = services.check_archive(archive)
        services.check_restorable(manifest)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Backup del {manifest.get('created_at', '?')} (cop "
               f"{manifest.get('app_version', '?')}, database {manifest['dialect']}, schema "
               f"{manifest.get('alembic_revision')}, "
               f"{len(manifest['members']) - 1} file caricati): archivio integro.")
    if not yes:
        click.confirm("Il database e i file caricati attuali saranno sostituiti. Procedere?",
                      abort=True)
    try:
        services.restore(archive, manifest)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo("Ripristino completato.")
    advice = services.revision_advice(manifest)
    if advice:
        click.echo(advice)
