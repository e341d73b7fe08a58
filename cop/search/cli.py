"""`flask cop reindex-search`: rebuild the search index from the data (attached to the cop group
in cop/search/wiring.py with `cop_cli.add_command(reindex_search)`)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from cop.extensions import db
from cop.search.services import reindex_all


@click.command("reindex-search")
@with_appcontext
def reindex_search():
    """Rebuild the search index (threads, replies and every registered feature)."""
    counts = reindex_all()
    db.session.commit()
    for name, n in counts.items():
        click.echo(f"  {name}: {n}")
    click.echo("Indice di ricerca ricostruito.")
