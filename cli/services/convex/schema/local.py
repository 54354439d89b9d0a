"""The one way every command gets the local schema's export: from the cache of an earlier
evaluation of exactly these sources, else evaluated in Node now (and then cached)."""

from __future__ import annotations

from cli.services.convex.schema.cache import cached_evaluation, store_export
from cli.services.convex.schema.evaluation import Evaluation, read_evaluation, start_evaluation
from cli.services.project import Project
from cli.shared.process import Bounded


class LocalSchema:
    """The export, started at once: do other work, then take `result()`."""

    def __init__(self, project: Project, timeout: float, cached: Evaluation | None, node: str | None) -> None:
        self.project = project
        self.timeout = timeout
        self._done = cached
        self._proc: Bounded | None = None
        if cached is None:
            assert node is not None
            self._proc = start_evaluation(project, node, timeout)

    @property
    def evaluating(self) -> bool:
        """Whether Node runs for it (no cached export fitted)."""
        return self._proc is not None

    def result(self) -> Evaluation:
        if self._done is None:
            assert self._proc is not None
            self._done = read_evaluation(self._proc.finish(), self.timeout, self.project)
            self._proc = None
            if self._done.export is not None:
                store_export(self.project, self._done)
        return self._done

    def kill(self) -> None:
        """Stop Node if it still runs (an interrupted or failed command)."""
        if self._proc is not None:
            self._proc.kill()


def local_schema(
    project: Project, node: str | None, timeout: float, *, reuse: bool = True
) -> LocalSchema | None:
    """The local schema's export, cached or being evaluated; None when neither can be (no
    cached export and no node). With `reuse` off (the check itself) Node always evaluates."""
    cached = cached_evaluation(project) if reuse else None
    if cached is None and node is None:
        return None
    return LocalSchema(project, timeout, cached, node)
