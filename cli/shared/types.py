"""Type names shared across the app."""

from __future__ import annotations

from typing import Any

# A JSON object as `json.loads` gives it: a schema's export, a helper's result.
JsonObject = dict[str, Any]
