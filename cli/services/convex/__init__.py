"""The Convex service's public API (the story's index.ts): import from here, not from modules.

Names load on first use (PEP 562), so `from cli.services.convex.check import ...` in a
command does not pay for the HTTP client, and `app --help` for none of it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cli.services.config.deployment_url import deployment_url
    from cli.services.convex.check import CheckOptions, run_check
    from cli.services.convex.client import get_convex_client, reset_convex_client
    from cli.services.convex.contract import CONTRACT, check_contract
    from cli.services.convex.deployment import PingOptions, ping
    from cli.services.convex.report import CheckReport, CheckResult, Finding, Status
    from cli.services.convex.schema_model import SchemaModel

_EXPORTS = {
    "CheckOptions": "check",
    "run_check": "check",
    "deployment_url": "client",  # re-exported there from cli.services.config
    "get_convex_client": "client",
    "reset_convex_client": "client",
    "CONTRACT": "contract",
    "check_contract": "contract",
    "PingOptions": "deployment",
    "ping": "deployment",
    "CheckReport": "report",
    "CheckResult": "report",
    "Finding": "report",
    "Status": "report",
    "SchemaModel": "schema_model",
}

__all__ = [
    "CONTRACT",
    "CheckOptions",
    "CheckReport",
    "CheckResult",
    "Finding",
    "PingOptions",
    "SchemaModel",
    "Status",
    "check_contract",
    "deployment_url",
    "get_convex_client",
    "ping",
    "reset_convex_client",
    "run_check",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
