"""The Convex service, one package per capability (the story's client.py and this re-exporting
module stay where the story puts them):

- check/, ping/, dev/, codegen/: one package per command, each entered at its run.py;
- schema/: schema.ts evaluated in Node, its cache, and validators as a typed tree;
- push/: the backend's push-time rules; typegen/: what codegen writes (also the check's
  freshness test and dev's regeneration); deployment/: which deployment, and how to reach it;
- toolchain.py: the one gate for node and the pinned convex package;
- client.py: the process's ConvexClient; typed/: what generated models use at run time;
  models/: what codegen writes, and nothing else.

A command package never imports another command's package.
"""

from cli.services.convex.client import get_convex_client, reset_convex_client
from cli.services.convex.deployment.url import deployment_url

__all__ = ["deployment_url", "get_convex_client", "reset_convex_client"]
