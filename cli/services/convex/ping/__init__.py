"""`app convex ping`, entered at run.py: probe.py's HTTP probes and `health:ping` call (health.py
names the function), drift.py's comparison with the local schema, and sync.py's WebSocket
query, run by sync_probe.py in a child process."""
