"""The Convex service's public API (the story's index.ts): import from here, not from modules."""

from cli.services.convex.check import CheckOptions, find_project_root, run_check
from cli.services.convex.contract import CONTRACT, check_contract
from cli.services.convex.report import CheckReport, CheckResult, Finding, Status
from cli.services.convex.schema_model import SchemaModel

__all__ = [
    "CONTRACT",
    "CheckOptions",
    "CheckReport",
    "CheckResult",
    "Finding",
    "SchemaModel",
    "Status",
    "check_contract",
    "find_project_root",
    "run_check",
]
