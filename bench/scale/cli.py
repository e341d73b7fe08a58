"""The `seed-scale` command: the synthetic region for the performance benchmark. It runs as
`python -m bench.scale --factor N` (bench/scale/__main__.py builds the app and pushes its
context); it is not attached to `flask cop`, since the app does not import the benchmark."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from bench.scale.services import MIN_FACTOR
from cop.extensions import db


@click.command("seed-scale")
@click.option("--factor", type=click.FloatRange(min=MIN_FACTOR), default=1.0,
              show_default=True,
              help="1 = la regione reale (567 organizzazioni, ~1.500 persone).")
@click.option("--long-thread-replies", type=click.IntRange(min=1), default=520,
              show_default=True, help="Risposte di ciascuna delle tre discussioni lunghe.")
@click.option("--notifications-per-person", type=click.IntRange(min=0), default=20,
              show_default=True)
@click.option("--facts", "facts_path", type=click.Path(dir_okay=False), default=None,
              help="Dove scrivere i dati per il benchmark (JSON); "
                   "predefinito instance/scale-facts.json.")
@with_appcontext
def seed_scale(factor, long_thread_replies, notifications_per_person, facts_path):
    """Fill an empty database with a realistic synthetic region (benchmark data)."""
    from bench.scale.services import ScaleRefused
    from bench.scale.services import seed_scale as run

    click.echo(f"Dati sintetici, fattore {factor:g}...")
    try:
        ctx = run(factor, echo=click.echo, long_thread_replies=long_thread_replies,
                  notifications_per_person=notifications_per_person)
    except ScaleRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    db.session.commit()
    facts = {**ctx.facts, "counts": dict(sorted(ctx.counts.items()))}
    path = Path(facts_path) if facts_path else Path(current_app.instance_path) / "scale-facts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(facts, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    click.echo("\nRighe scritte:")
    for table, n in facts["counts"].items():
        click.echo(f"  {table:<24} {n:>9,}".replace(",", "."))
    busy = facts["busy_thread"]
    click.echo(f"\nPer il benchmark (anche in {path}):")
    click.echo(f"  membro semplice   {facts['member_email']}")
    click.echo(f"  password (tutti)  {facts['password']}")
    click.echo(f"  amministratore    {facts['admin_email']}")
    click.echo(f"  spazio attivo     /spazi/{busy['slug']}/discussioni/{busy['id']} "
               f"(ultima discussione, {busy['post_count']} messaggi)")
    for thread in facts["long_threads"]:
        click.echo(f"  discussione lunga /spazi/{thread['slug']}/discussioni/{thread['id']} "
                   f"({thread['post_count']} messaggi, spazio {thread['visibility']})")
    click.echo(f"  parola rara       {facts['rare_word']} "
               f"({facts['rare_word_documents']} documenti)")
    click.echo(f"  parola comune     {facts['common_word']}")
    click.echo(f"Fatto in {facts['seconds']} s.")
