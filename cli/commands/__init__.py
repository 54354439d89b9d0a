"""The commands: one module each (check, codegen, ping, dev), mounted by convex.py; options.py
the options they share; runner.py where errors, signals and exit codes meet; present.py,
render.py and progress.py how reports look."""
