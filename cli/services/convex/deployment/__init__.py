"""Which deployment a command talks to, and how: the URL and its rules (url.py), deploy keys
(keys.py), the deployment `convex dev` pushes to (target.py), its dashboard (dashboard.py), an
HTTP client with a deadline on every step (http.py) and what no answer means (unreachable.py).
Shared by ping and dev, as the pinned CLI's lib/deploymentSelection.ts is shared by its commands."""
