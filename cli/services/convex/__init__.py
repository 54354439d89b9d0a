"""The Convex service: checking the project's schema offline, pinging a deployment, running
`convex dev`, and the app's Convex client. Import its public API from here.

- check.py runs `app convex check`: layout, toolchain, then schema_checks.py on what
  evaluation.py (Node, evaluate_schema.mjs) made of schema.ts, typecheck.py and the
  .env.example check. export_cache.py keeps evaluations for ping and dev.
- push_rules.py, push_schema.py, push_validators.py and identifiers.py mirror the backend's
  push-time rules; contract.py, schema_model.py and validators.py the app's own needs.
- ping.py runs `app convex ping` over http.py, with health.py's function and sync_check.py
  (which runs sync_probe.py in a child process).
- dev.py runs `convex dev` (target.py says which deployment); node.py finds the toolchain.
- client.py holds the process's ConvexClient; report.py the results every service returns.

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
    from cli.services.convex.ping import PingOptions, run_ping
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
    "PingOptions": "ping",
    "run_ping": "ping",
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
    "reset_convex_client",
    "run_check",
    "run_ping",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
