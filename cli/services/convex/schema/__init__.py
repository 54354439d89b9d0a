"""The project's schema as the backend sees it: schema.ts evaluated in Node (evaluation.py with
evaluate_schema.mjs), remembered for the same sources (cache.py), got one way by every command
(local.py); its validators as a typed tree (validators.py), and the parts the app compares
(model.py: the contract, drift)."""
