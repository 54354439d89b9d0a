"""esbuild's `Could not resolve` read as a package to install, and only where it is one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.services.convex.schema.packages import missing_package


@pytest.mark.parametrize(
    ("spec", "file", "package", "needed_by"),
    [
        ("itty-time", "convex/constants.ts", "itty-time", None),
        ("@scope/pkg/sub/path", "convex/schema.ts", "@scope/pkg", None),
        ("lodash/fp", "node_modules/some-lib/index.js", "lodash", "some-lib"),
        ("dep", "node_modules/@org/lib/dist/index.mjs", "dep", "@org/lib"),
        ("inner", "node_modules/a/node_modules/b/x.js", "inner", "b"),
    ],
)
def test_a_bare_import_not_in_node_modules_is_a_package_to_install(
    tmp_path: Path, spec: str, file: str, package: str, needed_by: str | None
) -> None:
    missing = missing_package(f'Could not resolve "{spec}"', file, tmp_path)

    assert missing is not None and (missing.package, missing.needed_by) == (package, needed_by)
    assert f"`npm install {package}`" in missing.hint
    assert (needed_by or package) in missing.message


@pytest.mark.parametrize(
    "spec",
    [
        "./local",
        "../_generated/server",
        "/abs/path",
        "@/types/user",
        "~/lib",
        "$lib/zod",
        "#internal",
        "node:fs",
    ],
)
def test_paths_and_aliases_are_not_packages(tmp_path: Path, spec: str) -> None:
    assert missing_package(f'Could not resolve "{spec}"', "convex/schema.ts", tmp_path) is None


def test_what_node_says_is_built_in_is_not_a_package(tmp_path: Path) -> None:
    assert missing_package('Could not resolve "https"', "convex/schema.ts", tmp_path, builtin=True) is None
    assert missing_package('Could not resolve "https"', "convex/schema.ts", tmp_path) is not None


def test_an_installed_package_with_a_wrong_subpath_is_left_to_esbuilds_words(tmp_path: Path) -> None:
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg" / "package.json").write_text("{}")

    assert missing_package('Could not resolve "pkg/missing"', "convex/schema.ts", tmp_path) is None
    assert missing_package("Expected ';' but found 'x'", "convex/schema.ts", tmp_path) is None
