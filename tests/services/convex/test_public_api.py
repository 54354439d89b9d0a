"""cli/services/convex/__init__.py re-exports the service's public API (docs/requirements.md, item 3)."""

from __future__ import annotations

import subprocess
import sys

import cli.services.convex as service


def test_every_public_name_resolves() -> None:
    for name in service.__all__:
        assert getattr(service, name) is not None
    from cli.services.convex import client

    assert service.get_convex_client is client.get_convex_client


def test_importing_the_package_loads_no_service_module_until_used() -> None:
    code = (
        "import sys, cli.services.convex as s\n"
        "loaded = [m for m in sys.modules if m.startswith('cli.services.convex.')]\n"
        "print(loaded)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
