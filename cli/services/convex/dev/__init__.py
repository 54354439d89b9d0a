"""`app convex dev`, entered at run.py: the preflight (the toolchain gate, the offline check, the
deployment chosen), the pinned `convex dev` run in the terminal's foreground, and hints.py's
names for the failures its output shows."""
