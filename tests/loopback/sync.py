"""The sync protocol (the WebSocket the official clients subscribe over): one connected
client's query set, versions and outgoing messages."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from tests.loopback.values import JsonObject, encode_ts, fingerprint

if TYPE_CHECKING:
    from tests.loopback.state import Deployment


@dataclass
class Subscription:
    udf_path: str
    args: JsonObject
    last: str | None = None


class SyncConnection:
    """One WebSocket client. All state changes happen synchronously before a message is
    queued, and one writer task sends the queue in order, so versions never interleave."""

    def __init__(self, deployment: Deployment, ws: web.WebSocketResponse, path: str) -> None:
        self.deployment = deployment
        self.ws = ws
        self.path = path
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue()
        self.query_set_version = 0
        self.identity_version = 0
        # The client's current state version: the endVersion of the last Transition.
        self.sent_query_set = 0
        self.sent_identity = 0
        self.sent_ts = 0
        self.queries: dict[int, Subscription] = {}

    def send(self, message: JsonObject) -> None:
        self.outbox.put_nowait(json.dumps(message))

    def fatal(self, error: str) -> None:
        self.send({"type": "FatalError", "error": error})
        self.outbox.put_nowait(None)

    def _evaluate(self, query_id: int, subscription: Subscription) -> JsonObject | None:
        """The modification for this query if its result changed since last sent."""
        outcome = self.deployment.run_query_for_sync(subscription.udf_path, subscription.args)
        modification: JsonObject
        if outcome.success:
            modification = {
                "type": "QueryUpdated",
                "queryId": query_id,
                "value": outcome.value,
                "logLines": outcome.log_lines,
                "journal": None,
            }
        else:
            modification = {
                "type": "QueryFailed",
                "queryId": query_id,
                "errorMessage": outcome.error_message,
                "logLines": outcome.log_lines,
                "journal": None,
            }
            if outcome.has_error_data:
                modification["errorData"] = outcome.error_data
        current = fingerprint({k: v for k, v in modification.items() if k != "queryId"})
        if current == subscription.last:
            return None
        subscription.last = current
        return modification

    def transition(self, modifications: list[JsonObject]) -> None:
        ts = self.deployment.ts
        message = {
            "type": "Transition",
            "startVersion": {
                "querySet": self.sent_query_set,
                "identity": self.sent_identity,
                "ts": encode_ts(self.sent_ts),
            },
            "endVersion": {
                "querySet": self.query_set_version,
                "identity": self.identity_version,
                "ts": encode_ts(ts),
            },
            "modifications": modifications,
        }
        self.sent_query_set = self.query_set_version
        self.sent_identity = self.identity_version
        self.sent_ts = ts
        self.send(message)

    def refresh(self, always: bool) -> None:
        """Re-run every subscribed query; send a Transition if any result changed."""
        modifications = []
        for query_id, subscription in self.queries.items():
            modification = self._evaluate(query_id, subscription)
            if modification is not None:
                modifications.append(modification)
        if modifications or always:
            self.transition(modifications)

    def handle(self, message: JsonObject) -> None:
        kind = message.get("type")
        if kind == "Connect":
            return
        if kind == "ModifyQuerySet":
            self._modify_query_set(message)
        elif kind == "Authenticate":
            base_version = message.get("baseVersion")
            if base_version != self.identity_version:
                self.fatal(
                    f"Invalid Authenticate baseVersion {base_version}, expected {self.identity_version}"
                )
                return
            self.identity_version = base_version + 1
            for subscription in self.queries.values():
                subscription.last = None  # a new identity re-runs every query
            self.refresh(always=True)
        elif kind in ("Mutation", "Action"):
            self._request(kind, message)
        # "Event" and anything unknown are ignored, as the backend ignores unknown events.

    def _modify_query_set(self, message: JsonObject) -> None:
        base_version = message.get("baseVersion")
        new_version = message.get("newVersion")
        if base_version != self.query_set_version or not isinstance(new_version, int):
            self.fatal(
                f"Invalid ModifyQuerySet: baseVersion {base_version}, newVersion {new_version}, "
                f"current query set version {self.query_set_version}"
            )
            return
        modifications: list[JsonObject] = []
        added: list[int] = []
        for change in message.get("modifications", []):
            query_id = change.get("queryId")
            if change.get("type") == "Add":
                raw_args = change.get("args", [])
                args = raw_args[0] if isinstance(raw_args, list) and raw_args else raw_args
                self.queries[query_id] = Subscription(
                    udf_path=str(change.get("udfPath")), args=args if args else {}
                )
                added.append(query_id)
            elif change.get("type") == "Remove" and self.queries.pop(query_id, None) is not None:
                modifications.append({"type": "QueryRemoved", "queryId": query_id})
        self.query_set_version = new_version
        for query_id in added:
            subscription = self.queries.get(query_id)
            if subscription is None:
                continue
            subscription.last = None
            modification = self._evaluate(query_id, subscription)
            if modification is not None:
                modifications.append(modification)
        self.transition(modifications)

    def _request(self, kind: str, message: JsonObject) -> None:
        request_id = message.get("requestId")
        raw_args = message.get("args", [])
        args = raw_args[0] if isinstance(raw_args, list) and raw_args else raw_args
        expected = "mutation" if kind == "Mutation" else "action"
        outcome = self.deployment.call(
            str(message.get("udfPath")), args if isinstance(args, dict) else {}, expected
        )
        response: JsonObject = {
            "type": "MutationResponse" if kind == "Mutation" else "ActionResponse",
            "requestId": request_id,
            "success": outcome.success,
            "result": outcome.value if outcome.success else outcome.error_message,
            "logLines": outcome.log_lines,
        }
        if not outcome.success and outcome.has_error_data:
            response["errorData"] = outcome.error_data
        if kind == "Mutation":
            # Every mutation commits at a new timestamp, failed or not, and its client gets
            # a Transition past it: both clients wait for one before resolving.
            self.deployment.advance_ts()
            if outcome.success:
                response["ts"] = encode_ts(self.deployment.ts)
            self.send(response)
            self.deployment.broadcast(mutator=self)
        else:
            self.send(response)
            if outcome.store_changed:
                self.deployment.advance_ts()
                self.deployment.broadcast(mutator=None)
