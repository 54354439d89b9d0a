"""npm_dotenv against the real npm dotenv: the version in package.json, which is the one the
pinned convex bundles. One node process per test, each bounded by a deadline:
  * the corpus of tricky files decodes, parses and lands in process.env exactly as in node;
  * seeded random inputs (DOTENV_FUZZ_CASES, 300 by default) parse to the same values;
  * Settings sees what convex's own loading sequence leaves it (deploymentSelection.ts).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from cli.services.config import npm_dotenv
from cli.services.config.env_files import load_env_file
from cli.services.config.settings import Settings
from cli.services.config.variables import VARIABLES
from tests.services.config.dotenv_corpus import CORPUS
from tests.support.project import REPO

NODE_SCRIPT = Path(__file__).with_name("dotenv_node.cjs")
DEADLINE = 60.0  # seconds for one node run; the corpus takes well under one
FUZZ_CASES = int(os.environ.get("DOTENV_FUZZ_CASES", "300"))
PINNED = "16.6.1"


def node_dotenv(request: dict[str, Any]) -> list[Any]:
    """The script's results for one request; node gets an empty environment of its own."""
    node = shutil.which("node")
    assert node is not None, "node is not on PATH (the project needs Node.js 20 or newer)"
    proc = subprocess.run(
        [node, str(NODE_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=DEADLINE,  # run() kills node on expiry: nothing is left running
        env={},
        cwd=REPO,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    answer = json.loads(proc.stdout.strip().split("\n")[-1])  # splitlines would cut at U+2028
    assert answer["version"] == PINNED
    results: list[Any] = answer["results"]
    return results


def test_the_dotenv_compared_with_is_the_one_convex_bundles() -> None:
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    bundle = (REPO / "node_modules" / "convex" / "dist" / "cli.bundle.cjs").read_text(encoding="utf-8")

    assert package["devDependencies"]["dotenv"] == PINNED
    assert set(re.findall(r"dotenv@(\d+\.\d+\.\d+)", bundle)) == {PINNED}


def test_the_corpus_reads_as_dotenv_config_reads_it(tmp_path: Path) -> None:
    paths = []
    for name, data in CORPUS.items():
        path = tmp_path / f"{name}.env"
        path.write_bytes(data)
        paths.append(path)
    (tmp_path / "folder.env").mkdir()
    paths += [tmp_path / "folder.env", tmp_path / "missing.env"]

    results = node_dotenv({"mode": "files", "paths": [str(path) for path in paths]})

    mismatches = []
    for path, expected in zip(paths, results, strict=True):
        content = path.read_bytes() if path.is_file() else None
        got = {
            "text": npm_dotenv.decode(content) if content is not None else None,
            "parsed": npm_dotenv.parse(npm_dotenv.decode(content)) if content is not None else {},
            "env": load_env_file(path).values,
        }
        if content is not None:
            assert npm_dotenv.read(content).values == got["parsed"], path.name
        if got != expected:
            mismatches.append(f"{path.name}:\n  python {got!a}\n  node   {expected!a}")
    assert not mismatches, "\n".join(mismatches)


ATOMS = [
    "A", "B", "k.e-y", "export", "export ", "=", " = ", ":", ": ", " ", "\t", "\n", "\r\n", "\r",
    "'", '"', "`", "\\", "\\'", '\\"', "\\`", "\\n", "\\r", "#", " #", "x", "val", "${A}",
    "\u2028", "\u2029", "\ufeff", "\xa0", "\x85", "\x1c", "\u00e9", "\U0001f600", "\x00", "__proto__",
    "\n\n",
]  # fmt: skip
# Few atoms, so that quotes, escapes and line ends meet often: deep backtracking in the JS regex
SMALL_ATOMS = ["A", "=", ":", " ", "\n", "'", '"', "`", "\\", "#", "x", "\u2028", "export "]


def random_case(rnd: random.Random, kind: int) -> str:
    if kind == 0:
        return "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(0, 40)))
    if kind == 1:
        return "".join(rnd.choice(SMALL_ATOMS) for _ in range(rnd.randint(0, 30)))

    def line() -> str:  # KEY<separator><quote>value<quote><tail>
        key = rnd.choice(["A", "B", "export A", " C", "k.e-y", "", "export", "__proto__"])
        separator = rnd.choice(["=", " = ", ": ", ":", " :", "\n=", ":\n", "=\n"])
        value = "".join(rnd.choice(ATOMS) for _ in range(rnd.randint(0, 8)))
        quote = rnd.choice(["", "'", '"', "`"])
        tail = rnd.choice(["", " # c", "#c", " junk", "  ", "\t# x"])
        return key + separator + quote + value + quote + tail

    return rnd.choice(["\n", "\r\n", "\r"]).join(line() for _ in range(rnd.randint(1, 6)))


def test_random_inputs_parse_as_dotenv_parses_them() -> None:
    rnd = random.Random(20_250_601)
    cases = [random_case(rnd, i % 3) for i in range(FUZZ_CASES)]

    results = node_dotenv({"mode": "strings", "cases": cases})

    mismatches = [
        f"{case!a}\n  python {npm_dotenv.parse(case)!a}\n  node   {expected!a}"
        for case, expected in zip(cases, results, strict=True)
        if npm_dotenv.parse(case) != expected or npm_dotenv.parse_with_notes(case).values != expected
    ]
    assert not mismatches, f"{len(mismatches)} of {len(cases)} differ, e.g.\n" + "\n".join(mismatches[:5])


URL = "CONVEX_URL"
SCENARIOS: dict[str, tuple[dict[str, str], dict[str, bytes]]] = {
    # name: (process environment, files)
    "environment beats the files": (
        {URL: "http://env:1"},
        {".env.local": b"CONVEX_URL=http://local:2\n", ".env": b"CONVEX_URL=http://dotenv:3\n"},
    ),
    "an empty environment variable hides the files": (
        {URL: ""},
        {".env.local": b"CONVEX_URL=http://local:2\n", ".env": b"CONVEX_URL=http://dotenv:3\n"},
    ),
    "an empty NAME= in .env.local hides .env": (
        {},
        {".env.local": b"CONVEX_URL=\n", ".env": b"CONVEX_URL=http://dotenv:3\nCONVEX_DEPLOYMENT=dev:a\n"},
    ),
    "a broken .env does not matter when .env.local has the value": (
        {},
        {
            ".env.local": b"CONVEX_URL=http://local:2\n",
            ".env": b'CONVEX_URL="http://never-closed\nJUNK LINE\n\xff\xfe=\x00\nCONVEX_DEPLOYMENT=dev:b\n',
        },
    ),
    "a latin-1 byte in a comment": ({}, {".env.local": b"# caf\xe9\nCONVEX_URL=http://local:2\n"}),
    "no ${VAR} expansion": (
        {"H": "from-env"},
        {".env.local": b"H=x\nCONVEX_URL=http://${H}:1\nCONVEX_DEPLOYMENT=$H\n"},
    ),
    "a folder named .env": ({}, {".env.local": b"CONVEX_DEPLOYMENT=dev:c\n", ".env/": b""}),
    "a folder named .env.local": ({}, {".env.local/": b"", ".env": b"CONVEX_URL=http://dotenv:3\n"}),
    "NUL ends a value in process.env": ({}, {".env.local": b'CONVEX_DEPLOYMENT="dev:d\x00tail"\n'}),
    "BOM, CRLF, export and a duplicate": (
        {},
        {
            ".env.local": b"\xef\xbb\xbfexport CONVEX_URL=http://a:1\r\nCONVEX_URL='http://b:2'\r\n",
            ".env": b"CONVEX_SELF_HOSTED_URL: http://c:3 # comment\nCONVEX_SELF_HOSTED_ADMIN_KEY=`k`\n",
        },
    ),
    "a quote that swallows the next settings": (
        {},
        {
            ".env.local": b'CONVEX_URL="http://a:1\nCONVEX_DEPLOYMENT=dev:e\n"\n',
            ".env": b"CONVEX_DEPLOYMENT=x\n",
        },
    ),
}


def test_settings_are_what_convex_sees(tmp_path: Path) -> None:
    names = [variable.name for variable in VARIABLES] + ["H"]
    folders = []
    for i, (_, files) in enumerate(SCENARIOS.values()):
        folder = tmp_path / str(i)
        folder.mkdir()
        folders.append(folder)
        for name, data in files.items():
            if name.endswith("/"):
                (folder / name).mkdir()
            else:
                (folder / name).write_bytes(data)
    scenarios = [
        {"dir": str(folder), "env": environment, "names": names}
        for folder, (environment, _) in zip(folders, SCENARIOS.values(), strict=True)
    ]

    results = node_dotenv({"mode": "select", "scenarios": scenarios})

    for (title, (environment, _)), folder, expected in zip(SCENARIOS.items(), folders, results, strict=True):
        settings = Settings(folder, environ=environment)
        got = {name: setting.text if (setting := settings.get(name)) else None for name in names}
        assert got == expected, title
