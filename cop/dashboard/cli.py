"""`flask cop refresh-figures`: to run every few minutes (deploy/systemd/cop-refresh-figures.timer).
Computes again every family of figures registered with cop.figure_store.register_figures (the
dashboards, the skills map) and stores them in `figure_snapshots`, where every app server reads
them in one statement: no page computes them (issue 20). Each key is committed on its own, so
a failure leaves the others fresh; the stored figures of a key no longer listed (a space
deleted) are removed."""
from __future__ import annotations

import logging
import time

import click
from flask.cli import with_appcontext

from cop import figure_store
from cop.extensions import db
from cop.ops.services import scheduled

log = logging.getLogger(__name__)


def refresh_every_family() -> tuple[int, list[str]]:
    """(keys refreshed, keys that failed)."""
    done, failed = 0, []
    for family, parts in sorted(figure_store.families().items()):
        started = time.perf_counter()
        listed = list(parts())
        for key, compute in listed:
            try:
                figure_store.refresh(key, compute)
                db.session.commit()
                done += 1
            except Exception:  # the other keys still get theirs; the run is a failure
                db.session.rollback()
                log.exception("figures %s: not refreshed", key)
                failed.append(key)
        figure_store.prune(family, [key for key, _ in listed])
        db.session.commit()
        log.info("figures %s: %d refreshed in %.2f s", family, len(listed),
                 time.perf_counter() - started)
    return done, failed


@click.command("refresh-figures")
@with_appcontext
@scheduled("refresh-figures")
def refresh_figures():
    """Compute again the dashboards' and the skills map's figures and store them for the pages."""
    done, failed = refresh_every_family()
    click.echo(f"Cifre aggiornate: {done}.")
    if failed:
        raise click.ClickException(f"Cifre non aggiornate ({len(failed)}): {', '.join(failed)}")
