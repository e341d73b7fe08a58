"""The demo's content, read from the TOML files of cop/demo/data/ by one loader.

The texts, records and word lists live beside the code that writes them through the services
(cop.demo.services and the feature modules), as the reference data lives in
cop/reference/data/. `load("meetings")` is data/meetings.toml as a dict, read once: callers
must not change it. The order of every list matters, since the demo draws from them with
fixed random seeds.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@cache
def load(name: str) -> dict:
    """The content of cop/demo/data/<name>.toml."""
    return tomllib.loads((files("cop.demo") / "data" / f"{name}.toml").read_text("utf-8"))


@dataclass(frozen=True)
class DemoAccount:
    key: str  # how the other demo files name the account ("capofila")
    email: str
    name: str
    description: str
    job_title: str = ""
    bio: str = ""


ACCOUNTS = [DemoAccount(**row) for row in load("accounts")["accounts"]]
DEMO_PASSWORD: str = load("accounts")["password"]
DEMO_EMAILS = {account.key: account.email for account in ACCOUNTS}
