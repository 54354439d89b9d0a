"""The kill rate of `make mutation`, per target and in all, from `mutmut results --all true`.

Run from the repository's root after `mutmut run`: `python -m tests.support.mutation_report`.
A mutant counts as killed when a test failed on it or it ran past its time limit (an endless
loop is caught too); survivors and mutants no selected test reaches count against the rate.
Lists every mutant not killed, by name (`mutmut show NAME` shows its diff).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

# Targets by module prefix of the mutant's name (as in [tool.mutmut] only_mutate).
TARGETS = {
    "push rules": ("cli.services.convex.push.",),
    "validators": ("cli.services.convex.schema.validators.", "cli.services.convex.schema.validator_json."),
    "runner": ("cli.commands.runner.",),
    "settings reader": ("cli.services.config.",),
}
CAUGHT = {"killed", "timeout"}


def target_of(mutant: str) -> str:
    return next((t for t, prefixes in TARGETS.items() if mutant.startswith(prefixes)), "other")


def parse(text: str) -> dict[str, str]:
    """mutant name -> status, from lines `    NAME: STATUS`."""
    statuses = {}
    for line in text.splitlines():
        name, sep, status = line.strip().partition(": ")
        if sep and "__mutmut_" in name:
            statuses[name] = status
    return statuses


def rate(counts: Counter[str]) -> str:
    total = sum(counts.values())
    caught = sum(counts[s] for s in CAUGHT)
    percent = f"{100 * caught / total:.1f}%" if total else "-"
    others = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in CAUGHT)
    return f"{percent:>6}  {caught}/{total} killed" + (f" ({others})" if others else "")


def report(statuses: dict[str, str]) -> str:
    by_target: dict[str, Counter[str]] = {}
    for name, status in statuses.items():
        by_target.setdefault(target_of(name), Counter())[status] += 1
    lines = ["Mutation testing: kill rate"]
    for target in [*TARGETS, "other"]:
        if target in by_target:
            lines.append(f"  {target:<16} {rate(by_target[target])}")
    lines.append(f"  {'total':<16} {rate(sum(by_target.values(), Counter()))}")
    missed = sorted((status, name) for name, status in statuses.items() if status not in CAUGHT)
    if missed:
        lines.append("Not killed (`.venv/bin/mutmut show NAME` for the diff):")
        lines += [f"  {status}: {name}" for status, name in missed]
    return "\n".join(lines)


def main() -> int:
    mutmut = Path(sys.executable).parent / "mutmut"
    done = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True)
    statuses = parse(done.stdout)
    if done.returncode != 0 or not statuses:
        print(done.stdout + done.stderr, file=sys.stderr)
        print("no mutation results: run `make mutation`", file=sys.stderr)
        return 1
    print(report(statuses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
