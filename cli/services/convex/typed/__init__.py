"""Values as the official Python client returns them, checked against Convex validators and
turned into the generated document classes (cli/services/convex/models/, written by
`app convex codegen`): base.py (what the generated modules name), registry.py (parsing,
encoding, checked calls) and values.py (one value at a time).

A validator is the JSON of `defineSchema(...).export()`; where the generator made a class
of an object validator, the validator names it under "class". Errors name the path that
does not fit, e.g. `messages.user_id` or `users.tags[2]`.
"""

from cli.services.convex.typed.base import UNSET, Client, Document, FieldSpec, Unset
from cli.services.convex.typed.registry import Registry

__all__ = ["UNSET", "Client", "Document", "FieldSpec", "Registry", "Unset"]
