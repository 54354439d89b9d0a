"""One table's findings as the push rules make them, and the paths later rules need."""

from __future__ import annotations

from dataclasses import dataclass, field

from cli.services.convex.push.identifiers import FieldPath, parse_field_path
from cli.shared.report import Finding, Severity


class IndexName(str):
    """An index's name that knows its kind, so that a message about it says "search index" or
    "vector index" where it is one (the name alone goes into findings and paths)."""

    kind: str

    def __new__(cls, name: str, kind: str = "index") -> IndexName:
        named = super().__new__(cls, name)
        named.kind = kind
        return named

    def of(self, table: str) -> str:
        """`search index messages.by_body`: how messages name it."""
        return f"{self.kind} {table}.{self}"


@dataclass
class TableFindings:
    """One table's findings, and the parsed paths later rules need."""

    name: str
    findings: list[Finding] = field(default_factory=list)
    # (index name, path) of every path whose existence check_index_references tests
    referenced: list[tuple[IndexName, FieldPath]] = field(default_factory=list)
    vector_fields: list[tuple[IndexName, FieldPath]] = field(default_factory=list)

    def add(self, code: str, message: str, *, index: str | None = None, path: str | None = None) -> None:
        self.findings.append(Finding(code, message, table=self.name, index=index, field=path))

    def warn(self, code: str, message: str, *, index: str | None = None, path: str | None = None) -> None:
        self.findings.append(
            Finding(code, message, table=self.name, index=index, field=path, severity=Severity.WARNING)
        )

    def path(self, index: str, text: object, role: str) -> FieldPath | None:
        """Parse one index path (`FieldPath::from_str`), reporting what the backend would."""
        where = f"{role} of index {self.name}.{index}"
        parsed = parse_field_path(text) if isinstance(text, str) else "it is not a string"
        if isinstance(parsed, str):
            self.add("push/index-field-path", f"{where}: {text!r} is not a field path: {parsed}", index=index)
            return None
        if parsed.trimmed:
            self.warn(
                "push/index-field-normalized",
                f"{where}: the backend reads {text!r} as {str(parsed)!r} "
                "(it trims leading and trailing dots)",
                index=index,
                path=str(parsed),
            )
        return parsed
