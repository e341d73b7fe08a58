"""A person's digest settings in their data export; deleting the account removes them."""
from __future__ import annotations

from cop.digests import services
from cop.directory import account

account.register_export("digests", services.export)
account.register_deletion("digests", services.before_deletion)
