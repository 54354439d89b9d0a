"""The project's health function, which ping calls to see what a deployment runs."""

from __future__ import annotations

import re

# convex/health.ts: a public query returning the deployed schema (see docs/commands.md, app convex ping).
HEALTH_FUNCTION = "health:ping"
PUSH_HINT = "Push the project's functions with `app convex dev` (or `npx convex deploy`)."


def error_summary(message: str) -> str:
    """The informative line of a function error ("[Request ID: ..] Server Error\nUncaught Error: ..")."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    for line in lines:
        if line.startswith("Uncaught "):
            return line.removeprefix("Uncaught ")
    return re.sub(r"^\[Request ID: [^\]]*\]\s*", "", lines[0]) if lines else "no error message"
