"""The deployment's dashboard, found where the pinned CLI's `convex dashboard` would find it.

npm convex 1.48.0 (node_modules/convex/src/cli/): a cloud deployment's dashboard is
`https://dashboard.convex.dev/d/<name>` (lib/dashboard.ts `deploymentDashboardUrlPage`),
the name coming from CONVEX_DEPLOYMENT (without its `dev:`/`prod:` prefix) or a deploy key's
prefix; the name of a `*.convex.cloud` URL is its first label
(lib/extractDeploymentNameForWorkOS.ts). A local no-account deployment's dashboard runs only
beside `convex dev`, on the port in `.convex/local/default/dashboard.json`
(lib/localDeployment/dashboard.ts `dashboardUrl`). Self-hosted deployments have none there
(dashboard.ts: "not supported for self-hosted deployments").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from cli.services.config.settings import Settings
from cli.services.convex.deployment.keys import deploy_key_deployment
from cli.services.convex.deployment.url import URL_VARIABLE

DASHBOARD = "https://dashboard.convex.dev"
# The settings that say what the deployment is (its name or kind), besides its URL.
NAMING = ("CONVEX_SELF_HOSTED_URL", "CONVEX_DEPLOY_KEY", "CONVEX_DEPLOYMENT")
CLOUD_URL = re.compile(r"^https://([a-z]+-[a-z]+-[0-9]+)\.(?:[^.]+\.)?convex\.cloud/?$")


@dataclass(frozen=True)
class Dashboard:
    url: str | None  # None when the deployment has none there
    why: str  # where the link comes from, or why there is none

    def to_json(self) -> dict[str, str | None]:
        return {"url": self.url, "why": self.why}


def find_dashboard(url: str, settings: Settings, root: Path | None) -> Dashboard:
    """The dashboard of the deployment at `url` (CONVEX_URL, maybe from a flag, in `settings`)."""
    if match := CLOUD_URL.match(url):
        return Dashboard(f"{DASHBOARD}/d/{match[1]}", "the deployment's name, from its URL")
    other = _other_deployment(url, settings)
    if other is not None:  # --url is not the deployment the settings name: their name is not its
        return Dashboard(
            None,
            f"no deployment name to look up for {other[0]}'s URL (not a *.convex.cloud URL; "
            f"{other[1]} {other[2]})",
        )
    self_hosted = settings.get("CONVEX_SELF_HOSTED_URL")
    if self_hosted is not None:
        return Dashboard(
            None,
            f"a self-hosted deployment ({self_hosted.describe()}) has no dashboard at {DASHBOARD}; "
            "run the self-hosted dashboard beside the backend",
        )
    deploy_key = settings.get("CONVEX_DEPLOY_KEY")
    named = deploy_key_deployment(deploy_key.text) if deploy_key is not None else None
    if deploy_key is not None and named is not None:
        return Dashboard(f"{DASHBOARD}/d/{named.split(':', 1)[1]}", f"from {deploy_key.describe()}")
    deployment = settings.get("CONVEX_DEPLOYMENT")
    if deployment is not None:
        name = deployment.text.split(":", 1)[-1]
        if name.startswith("anonymous-"):
            return _local(root)
        return Dashboard(f"{DASHBOARD}/d/{name}", f"from {deployment.describe()}")
    return Dashboard(None, "no deployment name to look up (not a *.convex.cloud URL, no CONVEX_DEPLOYMENT)")


def _other_deployment(url: str, settings: Settings) -> tuple[str, str, str] | None:
    """(the flag, the setting, how sure) when a flag gave `url` and it is not the deployment the
    settings describe (their CONVEX_URL or self-hosted URL), whose name or kind that setting gives."""
    chosen = settings.get(URL_VARIABLE)
    if chosen is None or not chosen.from_flag or chosen.text != url:
        return None
    naming = next((found for name in NAMING if (found := settings.get(name)) is not None), None)
    if naming is None:
        return None
    own = [s for s in (settings.get(URL_VARIABLE, flags=False), settings.get("CONVEX_SELF_HOSTED_URL")) if s]
    if any(_same(url, setting.text) for setting in own):
        return None
    sure = "is for another deployment" if own else "may be for another deployment"
    return chosen.source, naming.describe(), sure


def _same(url: str, other: str) -> bool:
    return url.rstrip("/").lower() == other.rstrip("/").lower()


def _local(root: Path | None) -> Dashboard:
    config = root / ".convex" / "local" / "default" / "dashboard.json" if root is not None else None
    try:
        port = json.loads(config.read_text(encoding="utf-8"))["port"] if config is not None else None
    except (OSError, ValueError, KeyError, TypeError):
        port = None
    if type(port) is int and 0 < port < 65536:  # not a bool (an int too), and a real port
        return Dashboard(
            f"http://127.0.0.1:{port}/", "the local deployment's dashboard, while `convex dev` runs"
        )
    return Dashboard(None, "a local deployment's dashboard runs only while `npx convex dev` does")
