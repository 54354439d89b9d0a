"""The project's public functions with their argument and return validators, read in Node by
analyze_functions.mjs as the Convex CLI bundles the modules and `convex/server` registers them."""

from __future__ import annotations

import os
from pathlib import Path

from cli.services.convex.node_end import why_node_ended
from cli.services.convex.toolchain import helper_script
from cli.services.project import Project
from cli.shared.process import Bounded, Finished
from cli.shared.types import JsonObject

HELPER = "analyze_functions.mjs"
ENTRY_EXTENSIONS = (".js", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts", ".jsx")


def function_modules(project: Project) -> list[str]:
    """The function modules the Convex CLI would push (`entryPoints` in its bundler): JS and TS
    files of the functions folder but _generated/, dotfiles, schema.ts, names with several
    dots (auth.config.ts, *.test.ts) and paths with spaces. Paths relative to the root."""
    found = []
    for folder, dirs, files in os.walk(project.functions_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "_generated")
        for name in sorted(files):
            path = Path(folder, name).relative_to(project.root).as_posix()
            if not name.endswith(ENTRY_EXTENSIONS) or name.startswith((".", "#")) or " " in path:
                continue
            if name in ("schema.ts", "schema.js") or name.count(".") > 1:
                continue
            found.append(path)
    return found


def _function_path(project: Project, module: str, export: str) -> str:
    stem = module.removeprefix(f"{project.functions}/").rsplit(".", 1)[0]
    return f"{stem}:{export}"


def start_analysis(project: Project, node: str, timeout: float, modules: list[str]) -> Bounded:
    """Read the public functions of `modules` in Node; `read_analysis` takes the end."""
    argv = [node, helper_script(__package__ or __name__, HELPER), str(project.root), *modules]
    return Bounded(argv, cwd=project.root, timeout=timeout, result_file=True)


def read_analysis(
    project: Project, proc: Bounded | None, modules: list[str]
) -> tuple[list[JsonObject], str | None]:
    """The public functions ({path, module, kind, args, returns}), or what went wrong."""
    if proc is None:
        return [], None
    return analysis_of(project, proc.finish(), modules)


def analysis_of(project: Project, done: Finished, modules: list[str]) -> tuple[list[JsonObject], str | None]:
    """What the helper (cold or warm) answered for `modules`."""
    results = done.result.get("results") if isinstance(done.result, dict) else None
    if done.timed_out:
        return [], "reading the function modules did not finish in time"
    if not isinstance(results, list) or len(results) != len(modules):
        if done.returncode:  # it ended early: say how (an unsettled await, memory, a signal)
            return [], why_node_ended(done, "reading the function modules", project.functions).message
        return [], f"node could not read the function modules: {done.last_words()}"
    functions = []
    for module, result in zip(modules, results, strict=True):
        if not result.get("ok"):
            return [], f"{module}: {result.get('message')}"
        for function in result["functions"]:
            path = _function_path(project, module, function["name"])
            functions.append({**function, "path": path, "module": module})
    return sorted(functions, key=lambda f: str(f["path"])), None
