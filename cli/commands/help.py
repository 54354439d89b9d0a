"""Help and shell completion: what `app` writes about itself, under the rules every command's
output follows (cli.shared.output): a stdout that cannot be written is exit 74 with one line on
stderr, a reader that went away (`| head -1`) is no error.

Typer's rich help draws boxes padded to the width, cuts what does not fit with "…" and prints
straight to the terminal; its completion script is for the shell it detects whatever shell is
named (its `--show-completion` is a flag: `zsh` after it is never read). So the groups and
commands here lay help out as plain text for the terminal's width (PlainHelp) that
cli.shared.output writes, and the root's completion options take an optional shell name; Typer
still writes the scripts and installs them.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import typer
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:
    from collections.abc import Callable

    from typer._click import Context, Parameter
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

# Descriptions start beside names at most this wide (click's own limit), else on the next line.
NAME_MAX = 30
# A usage piece with spaces in it (`[-- ARGS...]`) is kept on one line: its spaces are these
# while the line is wrapped.
_JOINED = "\u00a0"
_TRAILER = re.compile(r"\[[^\[\]]*\]$")


def help_width() -> int:
    """The columns help is laid out for: COLUMNS, else the terminal's, else 80 (a pipe, or a
    terminal that gives no size)."""
    import shutil

    return max(1, shutil.get_terminal_size((80, 24)).columns)


def _cells(text: str) -> int:
    """The columns `text` takes on a terminal (wide characters 2, combining ones 0), counted
    without rich, which help does not import."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def wrap_under(prefix: str, body: str, width: int, hang: int | None = None) -> list[str]:
    """`prefix` then `body`, on lines of at most `width` columns, none ending in a space: the
    body breaks between words (cli.shared.text's rule: a word too wide for its line has one
    of its own, only one wider than the terminal is split) and continues at column `hang`
    (by default under its own start, or 4 columns in when that leaves less than MIN_BODY)."""
    from cli.shared.text import MIN_BODY, wrap_spans

    own = _cells(prefix)
    lead = len(prefix) - len(prefix.lstrip(" "))
    if hang is None:
        hang = own if width - own >= MIN_BODY else lead + 4
    hang = max(0, min(hang, width - 1))
    first = width - own
    if first < 1:  # a prefix as wide as the line: the body starts below it
        head = [prefix.rstrip()] if prefix.strip() else []
        return head + wrap_under(" " * hang, body, width, hang)
    lines = []
    for i, (start, end) in enumerate(wrap_spans(body, first, width - hang, _cells, widest=width)):
        piece = body[start:end]
        indent = prefix if i == 0 else " " * min(hang, width - _cells(piece))
        lines.append((indent + piece).rstrip())
    return lines


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a help text (blank lines apart), each as one line to wrap, as click
    reads them."""
    return [" ".join(part.split("\n")).strip() for part in text.split("\n\n") if part.strip()]


class PlainHelp(HelpFormatter):
    """Click's plain help layout (a usage line, paragraphs, sections of names and what they
    do), for the terminal's width with the app's wrapping rule: never a box, a cut word or a
    trailing space, as git's and gh's help read."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{'Usage: ' if prefix is None else prefix}{prog} "
        for line in wrap_under(head, args, self.width):
            self.write(line.replace(_JOINED, " ") + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        lines = [
            "\n".join(wrap_under(indent, paragraph, self.width, self.current_indent))
            for paragraph in _paragraphs(text)
        ]
        self.write("\n\n".join(lines) + "\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = NAME_MAX, col_spacing: int = 2
    ) -> None:
        """Names and what they do: beside them where that leaves MIN_BODY columns, each
        under its name (4 columns in) where it does not."""
        from cli.shared.text import MIN_BODY

        rows = list(rows)
        if not rows:
            return
        indent = " " * self.current_indent
        widest = max(_cells(name) for name, _ in rows)
        column = self.current_indent + min(widest, col_max) + col_spacing
        beside = self.width - column >= MIN_BODY
        if not beside:
            column = self.current_indent + 4
        for name, full in rows:
            # Click's trailer ("[default: 15.0; 0.1<=x<=3600]") stays on one line where it fits.
            what = _TRAILER.sub(lambda found: found[0].replace(" ", _JOINED), full)
            room = column - self.current_indent - _cells(name)
            if beside and room >= col_spacing:
                lines = wrap_under(indent + name + " " * room, what, self.width, column)
            else:
                lines = wrap_under(indent, name, self.width)
                if what:
                    lines += wrap_under(" " * column, what, self.width, column)
            self.write("".join(line.replace(_JOINED, " ") + "\n" for line in lines))


class _Captured(io.StringIO):
    """Where Typer's completion answer is printed: kept as text for emit_text, and seen as the
    real stdout (a terminal or not, its encoding)."""

    def __init__(self, stdout: TextIO | None) -> None:
        super().__init__()
        self._stdout = stdout

    def isatty(self) -> bool:
        from cli.shared.output import is_terminal

        return is_terminal(self._stdout)

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stdout, "encoding", None) or "utf-8"


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
    """Help as plain text (ctx.get_help() returns it), written by write_help: for a group or a
    command. Typer's rich help draws boxes padded to the width and cuts what does not fit
    with "…"; click's own layout, through PlainHelp, does neither."""

    epilog: str | None

    def get_help(self, ctx: Context) -> str:
        formatter = PlainHelp(width=help_width())
        self.format_help(ctx, formatter)  # type: ignore[attr-defined]
        return formatter.getvalue().rstrip("\n")

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(piece.replace(" ", _JOINED) for piece in pieces))

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:
        from cli.commands.options import Examples, examples_lines

        shown = self.epilog
        if isinstance(shown, Examples) and shown.pairs:  # laid out here, for the width
            formatter.write_paragraph()
            formatter.write("".join(line + "\n" for line in examples_lines(shown.pairs, formatter.width)))
        else:
            super().format_epilog(ctx, formatter)  # type: ignore[misc]

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

    script = get_completion_script(prog_name=prog_name, complete_var=_complete_var(prog_name), shell=shell)
    return _loadable_zsh(script, prog_name) if shell == "zsh" else script


def _loadable_zsh(script: str, prog_name: str) -> str:
    """Typer's zsh script, made to complete at the first Tab when autoloaded from fpath too.

    compinit autoloads the file as the body of `_app` (its #compdef line): Typer's script then
    only defines `_app_completion` and hands `app` to it (compdef), so the first Tab completes
    nothing. Here the file completes at once when it is autoloaded, as #compdef files do, and
    still only registers the function when it is sourced (`source <(app --show-completion zsh)`),
    the way click's own zsh script tells the two apart."""
    function = "_{}_completion".format(re.sub(r"[^a-zA-Z0-9_]", "", prog_name.replace("-", "_")))
    register = f"compdef {function} {prog_name}"
    if register not in script:  # a script of another shape: Typer's, as it is
        return script
    either = (
        "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
        "  # autoloaded from fpath, as the completion for its #compdef: complete now\n"
        f'  {function} "$@"\n'
        "else\n"
        "  # sourced: complete each Tab from now on\n"
        f"  {register}\n"
        "fi"
    )
    return script.replace(register, either)


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
            if shell == "zsh":  # Typer's file completes only from the second Tab on
                path.write_text(completion_script(prog_name, shell) + "\n", encoding="utf-8")
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
