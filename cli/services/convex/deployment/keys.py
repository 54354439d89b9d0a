"""Deploy keys, read as the pinned CLI reads them (src/cli/lib/deploymentSelection.ts): the
part before `|` says which deployment a key is for and of what kind; only the part after it is
secret, and it is never read here."""

from __future__ import annotations


def deploy_key_deployment(key: str) -> str | None:
    """The deployment a dev: or prod: deploy key names (`dev:happy-otter-123|secret`): its
    part before `|`, which is no secret."""
    name = key.split("|", 1)[0]
    return name if "|" in key and name.startswith(("dev:", "prod:")) else None


def deploy_key_kind(key: str) -> str:
    """prod, dev, preview or project: the prefix of a deploy key (never the secret part)."""
    prefix = key.split(":", 1)[0] if ":" in key.split("|", 1)[0] else ""
    return prefix if prefix in ("prod", "dev", "preview", "project") else "unknown"
