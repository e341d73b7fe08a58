"""Explicit wiring: importing a model loads no pages, and each feature's `wiring.init_app` plugs
its parts in once however many apps a process builds (the tests build many)."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted(f"cop.{path.parent.name}.models" for path in (ROOT / "cop").glob("*/models.py"))
PAGES = (".views", ".blueprint", ".panel", ".wiring", ".calendar_views", ".feeds", ".showcase",
         ".workflow")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _loaded_by(module: str) -> list[str]:
    return json.loads(_run(
        f"import json, sys\nimport {module}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m == 'cop' or m.startswith('cop.'))))"))


def test_every_feature_has_models_to_check():
    assert "cop.auth.models" in MODELS and len(MODELS) >= 15


@pytest.mark.parametrize("module", MODELS)
def test_importing_models_loads_no_pages(module):
    loaded = _loaded_by(module)
    assert module in loaded
    assert [m for m in loaded if m.endswith(PAGES)] == []
    assert "cop.access" not in loaded  # nor the rules, which load every feature's models


def test_the_people_model_needs_only_its_bases():
    assert _loaded_by("cop.auth.models") == [
        "cop", "cop.auth", "cop.auth.models", "cop.database", "cop.extensions"]


def test_feature_packages_import_nothing():
    """cop/access/__init__.py is the exception: the facade of the rules (core and features)."""
    for init in (ROOT / "cop").glob("*/__init__.py"):
        if init.parent.name == "access":
            continue
        tree = ast.parse(init.read_text())
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))], init


_REGISTRIES = """
import json
from cop import create_app
from cop.access import core as access
from cop.cli import cop_cli
from cop.account import services as account
from cop.discussions import events
from cop.search import links, queries, services
from cop.spaces import panels

def sizes():
    signals = {name: len(getattr(events, name).receivers) for name in (
        "thread_created", "post_created", "post_edited", "post_removed", "post_restored",
        "thread_changed", "moderated")}
    return {"rules": len(access._RULES), "attachment_owners": len(access._ATTACHMENT_OWNERS),
            "panels": [p.name for p in panels._PANELS], "collectors": list(account._COLLECTORS),
            "deletions": list(account._BEFORE_DELETION), "audiences": len(queries._AUDIENCES),
            "labels": len(queries._LABELS), "reindexers": list(services._REINDEXERS),
            "links": list(links._LINKS), "receivers": signals, "commands": sorted(cop_cli.commands)}

config = {"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
first_app = create_app(config)
first = sizes()
second_app = create_app(config)
print(json.dumps({"first": first, "second": sizes(),
                  "blueprints": [list(first_app.blueprints), list(second_app.blueprints)],
                  "routes": [len(list(a.url_map.iter_rules())) for a in (first_app, second_app)]}))
"""


def test_building_two_apps_registers_everything_once():
    got = json.loads(_run(_REGISTRIES))
    first, second = got["first"], got["second"]
    assert first == second
    assert first["rules"] == 10 and first["attachment_owners"] == 5  # attestations, decisions
    assert first["panels"] == ["discussions", "decisions", "meetings", "learning", "practices",
                               "stories"]
    assert first["collectors"] == ["account", "oidc", "practices", "meetings", "decisions",
                                   "directory", "learning", "stories", "digests", "onboarding",
                                   "api"]
    assert first["deletions"] == ["meetings", "decisions", "directory", "learning", "stories",
                                  "digests", "onboarding", "api"]
    assert first["reindexers"] == ["discussions", "practices"]
    assert first["links"] == ["thread", "post", "practice"]
    assert first["receivers"]["thread_created"] == 2  # notifications, search
    assert first["receivers"]["post_removed"] == 1  # search
    assert "send-digests" in first["commands"] and "reindex-search" in first["commands"]
    assert got["blueprints"][0] == got["blueprints"][1]
    assert got["routes"][0] == got["routes"][1]
