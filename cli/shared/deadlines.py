"""The deadlines of Node's steps, apart: a loop guard must end an endless schema soon, while a
type check of a large schema on a slow runner needs minutes, not a shorter deadline.
Measured here (2 cores, Node 20): a valid 500-table x 50-field schema evaluates in 0.7 s, and
tsc checks it in 13 s of CPU, so about 55 s on a runner four times slower."""

from __future__ import annotations

SCHEMA_LOOP_GUARD = 15.0  # twenty times the 500-table evaluation, and an endless loop still ends soon
TYPECHECK_DEADLINE = 300.0  # tsc cannot loop by itself: this only ends a hang
NODE_START_LIMIT = 5.0  # a node that has not started our helper by then does not answer as Node does
