"""The loopback test deployment: a stand-in for a Convex deployment, for tests only.

The Convex backend cannot run on the machines this project is developed and tested on (its
binary is downloaded from a host they cannot reach), so the tests talk to this small server,
which speaks Convex's HTTP API, its WebSocket sync protocol and the self-hosted push API. Its
fidelity is not assumed but tested, beside it: ``test_fidelity.py`` drives it with the official
clients (PyPI ``ConvexClient`` and ``ConvexHttpClient``, npm ``ConvexHttpClient`` and
``ConvexClient`` through ``official_js_clients.mjs``), ``test_push_api.py`` with the real
pinned ``convex`` CLI pushing this project to it, ``test_watch_loop.py`` with its ``convex
dev`` watch loop through a refused push, ``test_schema_rules.py`` with what it refuses.

Run it as ``python -m tests.loopback`` from the project root. It binds
127.0.0.1 on a free port (one port for HTTP and the WebSocket sync protocol), prints
exactly one line ``READY http://127.0.0.1:PORT`` on stdout, then obeys JSON-line
commands on stdin (one object per line, each answered by one JSON line on stdout).
It exits when stdin closes, so it never outlives the process that started it.
For people trying ``app`` offline there is ``python -m tests.loopback serve`` (``make
loopback``, ``serve.py``): port 3210, what to export printed, stdin never read, stopped by
Ctrl-C, SIGTERM or SIGHUP; any admin key is accepted.

The control channel is stdin/stdout rather than HTTP because some misbehaviour modes
must keep the HTTP port silent. ``client.py`` drives it (``TestDeployment``), ``fixtures.py``
hands one to each test (a pytest plugin), ``real_clients.py`` runs the official Python client
and the real CLI against it. A command is
``{"cmd": NAME, "id": optional, ...fields}``; the answer is ``{"ok": true, "result": ...}``
or ``{"ok": false, "error": "..."}`` (with the same ``id``). Commands:

- ``ping`` → ``"pong"``; ``reset`` → forget functions, documents, logs, misbehaviour and
  settings, drop silenced requests and close sync connections;
- ``register {path, kind: query|mutation|action, <one behaviour>, args?, logLines?, ...}``
  (see ``FunctionSpec``) → the canonical path; ``unregister {path}``; ``functions``;
- ``set_schema {schema: str, extra?: {...}, path?: "health:ping"}`` registers a query
  returning ``{"status": "ok", "schema": schema, **extra}``;
- ``set_info {version?, instance_name?, ping_interval?, admin_key?, cloud_url?, site_url?,
  log_poll_seconds?}`` (``admin_key``: the key every admin and push route requires; None
  accepts any ``Convex`` key);
- ``pushed`` → ``{modules: [paths], schema: str|None, pushes: N, functions, udfServerVersion}``;
- ``misbehave {mode, seconds?, paths?, times?}`` with mode one of ``MISBEHAVIOURS`` or
  ``normal``; ``behave`` (= ``normal``);
- ``requests {clear?}``, ``wait_request {path, count?: 1, seconds?: 10}`` → the count-th
  logged request for that path once it has arrived, ``sync_messages {clear?}``,
  ``clear_log``;
- ``documents {table?}``, ``seed {table, documents}`` → ids;
- ``set_env {name, value}`` (value null deletes) and ``env`` → the deployment's environment
  variables as ``_system/cli/queryEnvironmentVariables`` lists them;
- ``connections``, ``close_connections`` → how many were closed.

What it serves (node_modules/convex/src shows what the clients send and expect):
- ``GET /``, ``/version``, ``/instance_version``, ``/instance_name``;
- ``POST /api/query|mutation|action`` with ``{"path", "args", "format"}`` (args may be an
  object or a one-element array, as the npm ConvexHttpClient sends), plus the npm
  client's ``/api/function``, ``/api/query_ts``, ``/api/query_at_ts`` and the HTTP API's
  ``/api/run/<module>/<function>``;
- the sync protocol on ``/api/sync`` and ``/api/<client version>/sync``;
- functions registered declaratively over the control channel, evaluated against an
  in-memory document store;
- the system queries the real ``convex dev`` subscribes to in its watch loop after a failed
  push (``system_udfs``): ``_system/cli/queryEnvironmentVariables`` (a change of the
  environment variables is a new result, and the CLI pushes again) and
  ``_system/cli/queryTable`` (a new result when that table changes);
- the self-hosted push API the real ``npx convex dev``/``deploy`` use (admin key checked on
  every route, 401 ``BadAdminKey`` otherwise; the key is never stored in the log):
  ``GET /api/check_admin_key``, ``GET /api/v1/get_canonical_urls``,
  ``GET /api/stream_function_logs`` (held ``log_poll_seconds``, no entries),
  ``POST /api/get_config_hashes`` (hashes of the pushed modules, so unchanged modules are
  not re-sent), ``/api/deploy2/evaluate_schema``, ``start_push``, ``wait_for_schema``,
  ``finish_push``, ``report_push_completed``. Bodies are decoded per Content-Encoding (the
  CLI brotli-compresses start_push, finish_push and evaluate_schema: the ``brotli`` package
  is needed). start_push evaluates the pushed schema bundle with the real ``node``
  (``default.export()``, in a child process with a deadline) and refuses what the backend
  refuses (``schema_rules``: reserved table and index names, duplicate index names and
  indexes, index fields the documents cannot have, ...) with the backend's 400
  ``{"code", "message"}`` (evaluate_schema too); finish_push commits the push,
  and ``health:ping`` then returns ``{"status": "ok", "schema": <that export>}`` as long as
  the pushed modules include ``health.js`` (a push without it removes ``health:ping``).
  Not modelled: components, auth config, function analysis (``analysis[""].functions`` is
  empty, which codegen accepts unless ``convex.json`` asks for ``staticApi``), the HTTP API
  for environment variables (set them over the control channel), admin-only access to system
  functions, schema validation against existing documents, HTTP actions, function logs.
  Any other route answers 404 and is reported on stderr as ``unserved request: METHOD PATH``.

Modules: ``values`` (Convex JSON values, ids, function paths, error answers, shared
limits), ``functions`` (declared functions and the document store), ``system_udfs`` (the
system functions the CLI calls), ``sync`` (one sync WebSocket client), ``push`` (the push
API's state and bodies, schema evaluation by ``evaluate_pushed_schema.mjs``),
``schema_rules`` (the backend's refusals of a pushed schema, from convex-backend's source),
``schema_diff`` (what a pushed schema changes),
``state`` (``Deployment``), ``control`` (the stdin commands), ``http`` (routes and
handlers), ``server`` (starting and stopping it), ``__main__`` (the harness process),
``serve`` (the process for people).
"""
