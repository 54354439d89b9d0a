"""Run in a child process: one query over the official client's WebSocket sync path.

`convex.ConvexClient` has no timeout and holds the GIL while it blocks, so the parent
bounds this whole process instead; the result goes to the file $APP_RESULT_FILE names,
because the client prints function log lines to stdout.
Usage: APP_RESULT_FILE=FILE python -m cli.services.convex.sync_probe URL FN
"""

from __future__ import annotations

import json
import os
import sys
import time

from cli.shared.process import RESULT_FILE_ENV


def main(url: str, function: str) -> None:
    from convex import ConvexClient

    began = time.monotonic()
    result: dict[str, object]
    try:
        value = ConvexClient(url).query(function)
        result = {"ok": True, "seconds": time.monotonic() - began, "is_object": isinstance(value, dict)}
    except Exception as error:  # the client raises plain Exception for function errors
        result = {"ok": False, "seconds": time.monotonic() - began, "error": str(error)}
    path = os.environ[RESULT_FILE_ENV]
    with open(f"{path}.tmp", "w", encoding="utf-8") as file:
        json.dump(result, file)
    os.replace(f"{path}.tmp", path)
    os._exit(0)  # the client's background runtime must not keep the process alive


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
