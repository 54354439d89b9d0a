"""cli/services/convex/__init__.py re-exports the client service's public API (docs/requirements.md,
item 3), and importing it loads the client alone: no command's package, no Node helper."""

from __future__ import annotations

import subprocess
import sys

import cli.services.convex as service


def test_every_public_name_resolves() -> None:
    for name in service.__all__:
        assert getattr(service, name) is not None
    from cli.services.convex import client

    assert service.get_convex_client is client.get_convex_client


def test_importing_the_package_loads_the_client_and_nothing_of_the_commands() -> None:
    code = (
        "import sys, cli.services.convex as s\n"
        "print(sorted(m for m in sys.modules if m.startswith('cli.services.convex.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    loaded = eval(proc.stdout)  # a list literal printed by the child
    assert loaded == [
        "cli.services.convex.client",
        "cli.services.convex.deployment",
        "cli.services.convex.deployment.url",
    ]
