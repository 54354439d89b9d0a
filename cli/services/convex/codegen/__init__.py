"""`app convex codegen`, entered at run.py: the schema's export and the functions' validators
(typegen.analysis), made into the models' files by cli.services.convex.typegen."""
