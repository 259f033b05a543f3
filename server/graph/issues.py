"""Building validation issues (schemas/graph-validation.schema.json) with one call each."""

from __future__ import annotations

from schemas.models.graph_validation import GraphIssue, IssueCode, Severity, ValidationReport


def issue(
    code: IssueCode,
    message: str,
    *,
    node_id: str | None = None,
    edge_id: str | None = None,
    fix: str | None = None,
    severity: Severity = Severity.error,
) -> GraphIssue:
    return GraphIssue(node_id=node_id, edge_id=edge_id, severity=severity, code=code, message=message, fix=fix)


def report(issues: list[GraphIssue]) -> ValidationReport:
    return ValidationReport(
        valid=not any(i.severity is Severity.error for i in issues),
        issues=issues,
    )


def quote_list(names: list[str], limit: int = 6) -> str:
    """'a', 'b', 'c' and 2 more: keeps messages short for large graphs."""
    shown = ", ".join(f"'{n}'" for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
