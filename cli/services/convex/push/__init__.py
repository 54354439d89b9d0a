"""The rules the Convex backend enforces only when a schema is pushed, each mirroring its
source in get-convex/convex-backend: tables.py (tables, and where to start), indexes.py,
documents.py (validators and document types), whole.py (the schema as a whole) and
identifiers.py (names and field paths)."""

from cli.services.convex.push.tables import check_push_rules
from cli.services.convex.push.verdict import push_rules_result
from cli.services.convex.push.whole import too_deep

__all__ = ["check_push_rules", "push_rules_result", "too_deep"]
