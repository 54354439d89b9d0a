"""What codegen writes, from the schema's export and the functions' validators, shared by
codegen (which writes it), the check (is documents.py current?) and dev: generator.py
(validators as Python types and classes; names.py their names), source.py (the modules' text)
and formatter.py (laid out by ruff format), files.py (the files, freshness, writing them
whole), and analysis.py (the public functions' validators, read in Node by
analyze_functions.mjs)."""
