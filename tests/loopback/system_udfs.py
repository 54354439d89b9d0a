"""The system functions the real ``convex dev`` calls in its watch loop.

After a push fails with a 400 (``ThrowingFetchError.handle`` in
node_modules/convex/src/cli/lib/utils/utils.ts: "invalid filesystem or env vars"), or a
schema fails validation against a table, ``watchAndPush`` (src/cli/lib/dev.ts) waits for a
file change or for one of these to change: it subscribes over the sync protocol
(``subscribe`` in src/cli/lib/run.ts, admin auth, no component) and pushes again at the
second result. A query that fails there throws out of the client's callback and ends the CLI.
The backend's versions are in convex-backend, npm-packages/system-udfs/convex/_system/cli/.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from tests.loopback.values import Json, JsonObject

if TYPE_CHECKING:
    from tests.loopback.functions import Store


@dataclass(frozen=True)
class SystemFunction:
    # Argument validators in FunctionSpec's notation (name → type).
    args: dict[str, str]
    run: Callable[[JsonObject, Store], Json]


def _environment_variables(args: JsonObject, store: Store) -> Json:
    # queryEnvironmentVariables.ts: db.query("_environment_variables").withIndex("by_name")
    # .order("asc").collect(): {_id, _creationTime, name, value} documents.
    return store.environment_variable_documents()


def _table_token(args: JsonObject, store: Store) -> Json:
    # queryTable.ts: reads the table (count()) and returns Math.random(), so its result changes
    # exactly when the table does.
    return store.change_token(str(args["tableName"]))


SYSTEM_FUNCTIONS: Final[dict[str, SystemFunction]] = {
    "_system/cli/queryEnvironmentVariables:default": SystemFunction({}, _environment_variables),
    "_system/cli/queryTable:default": SystemFunction({"tableName": "string"}, _table_token),
}
