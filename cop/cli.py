"""`flask cop ...`: commands for operators and for `make run`. They call the same services
as the pages do, and commit once at the end. The commands' function-level imports keep
`import cop.cli` light: the features' wiring imports it to add their own commands."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select, text

from cop.extensions import db
from cop.ops.services import scheduled

cop_cli = AppGroup("cop", help="Comandi della piattaforma.")


@cop_cli.command("seed-reference")
def seed_reference():
    """Load ATS, Alleanze, their spaces and the taxonomies (idempotent)."""
    from cop.reference.services import load_reference

    report = load_reference()
    db.session.commit()
    if report.added:
        for what, n in report.added.items():
            click.echo(f"  + {n} {what}")
    else:
        click.echo("Dati di riferimento già presenti: nulla da aggiungere.")


@cop_cli.command("seed-demo")
def seed_demo():
    """Load demo organisations, people and memberships (idempotent)."""
    from cop.demo.services import seed_demo as run

    created = run()
    db.session.commit()
    click.echo("Contenuti dimostrativi caricati." if created
               else "Contenuti dimostrativi già presenti.")


@cop_cli.command("setup")
def setup():
    """For `make run`: reference data always, demo content when there are no people yet."""
    from cop.auth.models import User
    from cop.demo.services import print_demo_accounts
    from cop.demo.services import seed_demo as run_demo
    from cop.reference.services import load_reference

    load_reference()
    db.session.commit()
    if db.session.scalar(select(func.count()).select_from(User)) == 0:
        click.echo("Database vuoto: carico i contenuti dimostrativi...")
        run_demo()
        db.session.commit()
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite keeps no planner statistics unless asked (PostgreSQL's autovacuum does):
        # without them it may walk 15,000 people to count 600 trainers.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    print_demo_accounts(click.echo)


@cop_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt="Nome e cognome")
@click.password_option()
def create_admin(email, name, password):
    """Create a regional administrator (for a production installation)."""
    from cop.auth import services
    from cop.auth.models import SiteRole
    from cop.auth.passwords import password_problems
    from cop.errors import ServiceError
    from cop.network.models import Organisation
    from cop.reference.services import REGION_ORGANISATION, load_reference

    problems = password_problems(password, email, name)
    if problems:
        raise click.ClickException(" ".join(problems))
    load_reference()
    region = db.session.scalar(select(Organisation).where(Organisation.name == REGION_ORGANISATION))
    try:
        services.create_user(email=email, name=name, organisation=region, password=password,
                             site_role=SiteRole.ADMIN.value)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Amministratore {email} creato.")


@cop_cli.command("clean-uploads")
@click.option("--older-than-hours", default=24, show_default=True, type=int)
@scheduled("clean-uploads")
def clean_uploads(older_than_hours):
    """Delete uploaded files that no attachment refers to (crashes, deleted spaces)."""
    from datetime import timedelta

    from cop.files.services import remove_orphan_files

    removed = remove_orphan_files(timedelta(hours=older_than_hours))
    click.echo(f"File orfani rimossi: {len(removed)}")


def init_app(app) -> None:
    """`flask cop ...`: the commands above; the features add theirs to `cop_cli` in their own
    `wiring.init_app` (send-digests, send-reminders, reindex-search, the notification emails;
    a group keeps one command per name, so building another app adds nothing twice)."""
    app.cli.add_command(cop_cli)
