"""`python -m bench.scale --factor N`, from the repository root: the synthetic region for the
performance benchmark (bench/run.py runs it), in an empty migrated database.

It builds the app with `cop.create_app()` (so the database is COP_DATABASE_URL's, as for
`flask`) and runs the `seed-scale` command (bench/scale/cli.py) inside the app's context.
`python -m bench.scale --help` lists the options."""
from __future__ import annotations

import sys

import click

PROG_NAME = "python -m bench.scale"


def main(argv: list[str] | None = None, app=None) -> int:
    """Runs the command with `argv` (default: the command line) in `app`'s context (default: a
    new `cop.create_app()`); returns the exit status, as `python -m bench.scale` exits with."""
    from bench.scale.cli import seed_scale

    if app is None:
        from cop import create_app

        app = create_app()
    with app.app_context():
        try:
            status = seed_scale.main(args=argv, prog_name=PROG_NAME, standalone_mode=False)
        except click.ClickException as error:  # a refusal, a bad option: message, status
            error.show()
            return error.exit_code
        except click.Abort:
            click.echo("Interrotto.", err=True)
            return 1
    # standalone_mode=False: `--help` returns its exit status, a normal run None
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
