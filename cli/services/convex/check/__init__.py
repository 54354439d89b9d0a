"""`app convex check`, entered at run.py: layout.py, then the toolchain gate, schema.py's checks
of one evaluation (schema, push rules, contract.py's contract, the models' freshness),
typecheck.py's tsc, and env_example.py."""
