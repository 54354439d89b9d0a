"""Help and shell completion: what `app` writes about itself, under the rules every command's
output follows (cli.shared.output): a stdout that cannot be written is exit 74 with one line on
stderr, a reader that went away (`| head -1`) is no error.

Typer prints its rich help straight to the terminal and its completion script for the shell it
detects whatever shell is named (its `--show-completion` is a flag: `zsh` after it is never
read). So the groups and commands here render help into text that cli.shared.output writes, and
the root's completion options take an optional shell name; Typer still writes the scripts and
installs them.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer._click import Context, HelpFormatter, Parameter
    from typer.core import TyperOption

# -h as well as --help, on every group and command (gh, vercel and the Convex CLI accept it).
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["--help", "-h"]}

# The shells Typer writes completion for; PowerShell answers to both names.
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
SHELL_LIST = "bash, zsh, fish, powershell or pwsh"
# The value of a completion option given without a shell name: the shell this runs in.
CURRENT_SHELL = ""
COMPLETION_OPTIONS = ("--install-completion", "--show-completion")
# How long PowerShell may take to say where its profile is (its start-up is slow, not this long).
POWERSHELL_DEADLINE = 20.0


# -- help ------------------------------------------------------------------------------------


class _Captured(io.StringIO):
    """Where Typer's rich help is printed: kept as text, and seen by rich as the real stdout
    (a terminal or not, its encoding), so that it styles and draws the help as it would there."""

    def __init__(self, stdout: TextIO | None) -> None:
        super().__init__()
        self._stdout = stdout

    def isatty(self) -> bool:
        from cli.shared.output import is_terminal

        return is_terminal(self._stdout)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stdout, "encoding", None) or "utf-8"


def _help_width(captured: _Captured) -> int:
    """The width Typer's rich help is drawn at (the terminal's, COLUMNS, else 80)."""
    from rich.console import Console
    from typer import rich_utils

    return Console(file=captured, width=rich_utils.MAX_WIDTH).width


@contextlib.contextmanager
def _capturing() -> Iterator[_Captured]:
    captured = _Captured(sys.stdout)
    with contextlib.redirect_stdout(captured):
        yield captured


def write_help(ctx: Context) -> None:
    """The command's help on stdout, written as every output is."""
    from cli.shared.output import emit_text

    emit_text(ctx.get_help() + "\n")


def _show_help(ctx: Context, _param: Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        write_help(ctx)
        ctx.exit()


def _written(option: TyperOption | None) -> TyperOption | None:
    """Click's help option, writing through write_help instead of click's own echo."""
    if option is not None:
        option.callback = _show_help
    return option


class _WrittenHelp:
    """Help as text (ctx.get_help() returns it), written by write_help: for a group or a command."""

    epilog: str | None

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        from cli.commands.options import Examples, examples_lines

        shown = self.epilog
        pairs = shown.pairs if isinstance(shown, Examples) else ()
        if pairs:  # laid out here: rich would wrap them to the first column
            self.epilog = None
        try:
            with _capturing() as captured:
                super().format_help(ctx, formatter)  # type: ignore[misc]
                width = _help_width(captured)
        finally:
            self.epilog = shown
        text = captured.getvalue()
        if pairs:
            text += "\n".join(examples_lines(pairs, width)) + "\n\n"
        formatter.write(text)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _written(super().get_help_option(ctx))  # type: ignore[misc]


class Group(_WrittenHelp, TyperGroup):
    """A Typer group whose help is written as every output is."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if not args and self.no_args_is_help and not ctx.resilient_parsing:
            write_help(ctx)  # on stdout, as Typer does, with its exit code
            ctx.exit(2)
        return super().parse_args(ctx, args)


class Command(_WrittenHelp, TyperCommand):
    """A Typer command whose help is written as every output is."""


# -- completion ------------------------------------------------------------------------------


class RootGroup(Group):
    """The root `app`: `--show-completion` and `--install-completion` take a shell name, or
    none for the shell this runs in (the parser has no optional values, so a bare one is given
    the empty value here)."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, with_shell_values(args))


def with_shell_values(args: list[str]) -> list[str]:
    """`args` with CURRENT_SHELL after a completion option that names no shell. Only the root's
    own options are looked at: those before the command's name."""
    out: list[str] = []
    for i, arg in enumerate(args):
        out.append(arg)
        if arg == "--" or not arg.startswith("-"):
            return out + args[i + 1 :]
        if arg in COMPLETION_OPTIONS and (i + 1 == len(args) or args[i + 1].startswith("-")):
            out.append(CURRENT_SHELL)
    return out


def complete_shell_names(incomplete: str) -> list[str]:
    """What `app --show-completion <TAB>` offers."""
    return [shell for shell in SHELLS if shell.startswith(incomplete)]


def _complete_var(prog_name: str) -> str:
    """The variable the scripts set to ask for completions (as Typer names it)."""
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def completion_shell(value: str, option: str) -> str:
    """The shell `value` names, or the shell this runs in (detected as Typer does) when it
    names none; a usage error (exit 2) for a shell Typer writes no completion for."""
    from cli.shared.errors import AppError, ExitCode

    hint = f"Name one of {SHELL_LIST}: app {option} zsh"
    if value == CURRENT_SHELL:
        from typer._completion_shared import _get_shell_name

        detected = _get_shell_name()
        if detected is None:
            raise AppError("the shell this runs in could not be detected", hint, exit_code=ExitCode.USAGE)
        if detected not in SHELLS:
            message = f"completion is not available for {detected}, the shell this runs in"
            raise AppError(message, hint, exit_code=ExitCode.USAGE)
        return detected
    shell = value.strip().lower()
    if shell not in SHELLS:
        message = f"{option}: unknown shell {value!r}"
        hint = f"Shells with completion: {SHELL_LIST}; with none named, the shell this runs in."
        raise AppError(message, hint, exit_code=ExitCode.USAGE)
    return shell


def completion_script(prog_name: str, shell: str) -> str:
    from typer._completion_shared import get_completion_script

    return get_completion_script(prog_name=prog_name, complete_var=_complete_var(prog_name), shell=shell)


def show_completion(ctx: typer.Context, value: str | None) -> None:
    """--show-completion [SHELL]: the shell's completion script on stdout."""
    if value is None or ctx.resilient_parsing:
        return
    from cli.shared.output import emit_text

    prog_name = ctx.find_root().info_name or "app"
    emit_text(completion_script(prog_name, completion_shell(value, "--show-completion")) + "\n")
    raise typer.Exit()


def install_completion(ctx: typer.Context, value: str | None) -> None:
    """--install-completion [SHELL]: the shell's script where that shell loads it (Typer's
    places: ~/.bash_completions/ sourced from ~/.bashrc, ~/.zfunc/, fish's completions folder,
    the PowerShell profile)."""
    if value is None or ctx.resilient_parsing:
        return
    from cli.shared.errors import ConfigError
    from cli.shared.output import print_lines

    shell = completion_shell(value, "--install-completion")
    prog_name = ctx.find_root().info_name or "app"
    try:
        if shell in ("powershell", "pwsh"):
            path = _install_powershell(shell, completion_script(prog_name, shell))
        else:
            from typer._completion_shared import install

            _, path = install(shell=shell, prog_name=prog_name, complete_var=_complete_var(prog_name))
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        raise ConfigError(
            f"the {shell} completion could not be installed: {error.strerror or error}{where}",
            f"Run `{prog_name} --show-completion {shell}` and put its output where {shell} reads it.",
        ) from None
    print_lines(
        [[(f"{shell} completion installed in {path}", "green")], [f"It takes effect in a new {shell}."]]
    )
    raise typer.Exit()


def _install_powershell(shell: str, script: str) -> Path:
    """Append the script to the PowerShell profile, which PowerShell itself names (Typer asks
    it with no deadline, and changes the execution policy: neither here)."""
    import shutil

    from cli.shared.errors import ConfigError
    from cli.shared.process import Bounded

    other = "pwsh" if shell == "powershell" else "powershell"
    executable = shutil.which(shell) or shutil.which(other)
    hint = f"Run `app --show-completion {shell}` and add its output to your PowerShell profile."
    if executable is None:
        raise ConfigError(f"PowerShell is not installed here: neither {shell} nor {other} is on PATH", hint)
    argv = [executable, "-NoProfile", "-Command", "echo $profile"]
    done = Bounded(argv, cwd=Path.home(), timeout=POWERSHELL_DEADLINE).finish()
    profile = done.stdout.strip()
    if done.timed_out:
        raise ConfigError(f"{shell} did not say where its profile is within {POWERSHELL_DEADLINE:g} s", hint)
    if done.returncode != 0 or not profile:
        raise ConfigError(f"{shell} did not say where its profile is ({done.last_words()})", hint)
    path = Path(profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(script + "\n")
    return path


def answer_completion(run: Callable[[], object]) -> NoReturn:
    """Answer the shell's request for completions (the scripts call `app` with the complete
    variable set), written as every output is. Typer registers its completion classes (what
    the scripts expect) only when it adds its own completion options, which `app` replaces."""
    from typer._completion_classes import completion_init

    from cli.shared.output import emit_text

    completion_init()
    code: object = 0
    with _capturing() as captured:
        try:
            run()
        except SystemExit as ended:
            code = ended.code
    emit_text(captured.getvalue())
    sys.exit(code)  # type: ignore[arg-type]
