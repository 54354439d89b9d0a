"""Shell completion: the script for the shell named (or the one `app` runs in), installed where
that shell reads it, and proven by loading it in its shell and asking for completions there
(bash, and zsh and fish where installed: `make shells`); PowerShell, which cannot be installed
here, by the script's text and the protocol it speaks with the app.

Where zsh or fish is missing, its test checks the script's text instead; under CI (env CI set)
it fails, so that no runner passes without loading each script."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.project import RUN_TIMEOUT, Result, app_env, run_app

SHELLS = ["bash", "zsh", "fish", "powershell", "pwsh"]
# A line only each shell's script has.
SIGNATURES = {
    "bash": "complete -o default -F _app_completion app",
    "zsh": "compdef _app_completion app",
    "fish": "complete --command app --no-files",
    "powershell": "Register-ArgumentCompleter -Native -CommandName app -ScriptBlock $scriptblock",
    "pwsh": "Register-ArgumentCompleter -Native -CommandName app -ScriptBlock $scriptblock",
}
COMMANDS = ["dev", "check", "ping", "codegen"]  # in the order of use


def installed(shell: str) -> str | None:
    """The shell's path, or None when it is not installed: allowed only outside CI."""
    path = shutil.which(shell)
    if path is None and os.environ.get("CI"):
        pytest.fail(
            f"{shell} is not installed, so its completion script cannot be loaded in it: "
            "run `make shells` first (it installs zsh and fish with apt-get), as CI must"
        )
    return path


@pytest.fixture
def app_on_path(tmp_path: Path) -> dict[str, str]:
    """The environment of a shell in which `app` is this app (what the scripts call)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    launcher = bin_dir / "app"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -P -m cli "$@"\n', encoding="utf-8")
    launcher.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    return app_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", HOME=str(home))


def script(shell: str, cwd: Path) -> str:
    result = run_app("--show-completion", shell, cwd=cwd)
    assert result.returncode == 0 and result.stderr == "", result.output
    return result.stdout


def in_shell(argv: list[str], env: dict[str, str], cwd: Path) -> Result:
    proc = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT, stdin=subprocess.DEVNULL
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


# -- the script of the shell named ---------------------------------------------------------


@pytest.mark.parametrize("shell", SHELLS)
def test_show_completion_prints_the_named_shells_script(shell: str, tmp_path: Path) -> None:
    text = script(shell, tmp_path)

    assert SIGNATURES[shell] in text, text
    others = {SIGNATURES[other] for other in SHELLS if other != shell} - {SIGNATURES[shell]}
    assert not [other for other in others if other in text], text
    assert "_APP_COMPLETE=complete_" in text or '$Env:_APP_COMPLETE = "complete_powershell"' in text


def test_the_shell_may_be_given_with_an_equals_sign(tmp_path: Path) -> None:
    assert SIGNATURES["fish"] in run_app("--show-completion=fish", cwd=tmp_path).stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_without_a_name_the_shell_it_runs_in(shell: str, tmp_path: Path) -> None:
    """Typer's detection, kept: the parent shell's script (`; true` keeps the shell from
    replacing itself by the app, so that it is the parent)."""
    path = installed(shell)
    if path is None:  # outside CI only: the detection cannot be shown without the shell
        assert SIGNATURES[shell] in script(shell, tmp_path)
        return
    command = f'"{sys.executable}" -P -m cli --show-completion; true'
    result = in_shell([path, "-c", command], app_env(), tmp_path)

    assert result.returncode == 0 and SIGNATURES[shell] in result.stdout, result.output


@pytest.mark.parametrize("option", ["--show-completion", "--install-completion"])
def test_an_unknown_shell_is_a_usage_error_naming_the_shells(option: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = run_app(option, "tcsh", cwd=tmp_path, env=app_env(HOME=str(home)))

    assert result.returncode == 2
    assert result.stdout == ""
    error, hint = result.stderr.splitlines()
    assert error == f"error: {option}: unknown shell 'tcsh'"
    assert hint.startswith("hint: ") and all(shell in hint for shell in SHELLS), hint
    assert "Traceback" not in result.output
    assert list(home.iterdir()) == []  # nothing installed


# -- installed where the shell reads it ------------------------------------------------------


@pytest.mark.parametrize(
    ("shell", "where", "rc", "rc_line"),
    [
        ("zsh", ".zfunc/_app", ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"),
        ("fish", ".config/fish/completions/app.fish", None, None),
        ("bash", ".bash_completions/app.sh", ".bashrc", "source '{home}/.bash_completions/app.sh'"),
    ],
)
def test_install_completion_for_the_named_shell_from_bash(
    shell: str, where: str, rc: str | None, rc_line: str | None, app_on_path: dict[str, str], tmp_path: Path
) -> None:
    home = Path(app_on_path["HOME"])
    result = in_shell(["bash", "-c", f"app --install-completion {shell}; true"], app_on_path, tmp_path)

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        f"{shell} completion installed in {home / where}",
        f"It takes effect in a new {shell}.",
    ]
    assert (home / where).read_text().strip() == script(shell, tmp_path).strip()
    if rc is not None and rc_line is not None:
        assert rc_line.format(home=home) in (home / rc).read_text().splitlines()
    if shell != "bash":  # installed for the shell named, not for the one it ran in
        assert not (home / ".bash_completions").exists()


def test_install_completion_without_a_name_is_for_the_shell_it_runs_in(
    app_on_path: dict[str, str], tmp_path: Path
) -> None:
    home = Path(app_on_path["HOME"])
    result = in_shell(["bash", "-c", "app --install-completion; true"], app_on_path, tmp_path)

    assert result.returncode == 0, result.output
    assert (home / ".bash_completions" / "app.sh").read_text().strip() == script("bash", tmp_path).strip()


def test_install_completion_for_powershell_appends_to_its_profile(
    app_on_path: dict[str, str], tmp_path: Path
) -> None:
    """A stand-in pwsh that names its profile as `pwsh -NoProfile -Command 'echo $profile'`
    does; the execution policy is left alone (the stand-in fails on anything else)."""
    home = Path(app_on_path["HOME"])
    profile = home / ".config" / "powershell" / "Microsoft.PowerShell_profile.ps1"
    pwsh = Path(app_on_path["PATH"].split(os.pathsep)[0]) / "pwsh"
    pwsh.write_text(
        f"#!/bin/sh\n[ \"$*\" = '-NoProfile -Command echo $profile' ] || exit 9\necho '{profile}'\n",
        encoding="utf-8",
    )
    pwsh.chmod(0o755)
    profile.parent.mkdir(parents=True)
    profile.write_text("# the user's own profile\n", encoding="utf-8")

    result = in_shell(["app", "--install-completion", "pwsh"], app_on_path, tmp_path)

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines()[0] == f"pwsh completion installed in {profile}"
    text = profile.read_text()
    assert text.startswith("# the user's own profile\n")
    assert script("pwsh", tmp_path).strip() in text


def test_install_completion_for_powershell_without_it_says_so(
    app_on_path: dict[str, str], tmp_path: Path
) -> None:
    env = {**app_on_path, "PATH": app_on_path["PATH"].split(os.pathsep)[0] + os.pathsep + "/usr/bin:/bin"}
    assert (
        shutil.which("pwsh", path=env["PATH"]) is None
        and shutil.which("powershell", path=env["PATH"]) is None
    )

    result = in_shell(["app", "--install-completion", "powershell"], env, tmp_path)

    assert result.returncode == 3
    assert result.stderr.splitlines() == [
        "error: PowerShell is not installed here: neither powershell nor pwsh is on PATH",
        "hint: Run `app --show-completion powershell` and add its output to your PowerShell profile.",
    ]


def test_install_completion_that_cannot_write_says_so(app_on_path: dict[str, str], tmp_path: Path) -> None:
    home = Path(app_on_path["HOME"])
    (home / ".zfunc").write_text("a file where the folder goes\n", encoding="utf-8")

    result = in_shell(["app", "--install-completion", "zsh"], app_on_path, tmp_path)

    assert result.returncode == 3, result.output
    error, hint = result.stderr.splitlines()
    assert error.startswith("error: the zsh completion could not be installed: "), error
    assert hint == "hint: Run `app --show-completion zsh` and put its output where zsh reads it."
    assert "Traceback" not in result.output


# -- each script loaded in its shell ---------------------------------------------------------


BASH_ASK = """
source "$1"
complete -p app
shift
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_app_completion app
printf '<%s>\\n' "${COMPREPLY[@]}"
"""


def bash_completions(words: list[str], script_file: Path, env: dict[str, str], cwd: Path) -> list[str]:
    """What bash's completion function for `app` puts in COMPREPLY for `words` (the last one
    being completed), after sourcing the script in a bash without start-up files."""
    result = in_shell(
        ["bash", "--norc", "--noprofile", "-c", BASH_ASK, "bash", str(script_file), *words], env, cwd
    )
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines()[0] == SIGNATURES["bash"]  # `complete -p app`: registered
    return re.findall(r"^<(.*)>$", result.stdout, re.MULTILINE)


def test_bash_completes_from_the_loaded_script(app_on_path: dict[str, str], tmp_path: Path) -> None:
    script_file = tmp_path / "app.bash"
    script_file.write_text(script("bash", tmp_path), encoding="utf-8")

    def ask(*words: str) -> list[str]:
        return bash_completions(list(words), script_file, app_on_path, tmp_path)

    assert ask("app", "con") == ["convex"]
    assert ask("app", "convex", "") == COMMANDS
    assert ask("app", "convex", "ch") == ["check"]
    assert "--json" in ask("app", "convex", "check", "--")
    assert ask("app", "convex", "ping", "--sy") == ["--sync"]
    assert ask("app", "--show-completion", "") == SHELLS


ZSH_SETUP = r"""
PROMPT=''
autoload -Uz compinit && compinit -u -D
source "$APP_SCRIPT"
print -r -- "<registered>${_comps[app]}</registered>"
# Each match the completion system adds, printed; -O, -A and -D only ask, so they pass.
compadd() {
  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"
  local h; for h in $hits; do print -r -- "<match>$h</match>"; done
  builtin compadd "$@"
}
comppostfuncs=(app_done); app_done() { print -r -- "<done/>"; exit }
print -r -- "<ready/>"
"""
# An interactive zsh in a pseudo-terminal (zpty) given the words and a Tab: the completion
# system itself (compinit, compdef, _arguments) runs the script's function.
ZSH_DRIVE = r"""
zmodload zsh/zpty
zpty app_zsh zsh -f -i
zpty -w app_zsh "source ${(q)APP_SETUP}"
zpty -r app_zsh out '*<ready/>*'
print -r -- "$out"
zpty -w -n app_zsh "${APP_LINE}"$'\t'
while zpty -r app_zsh out; do print -rn -- "$out"; [[ $out == *'<done/>'* ]] && break; done
zpty -d app_zsh
"""


def zsh_completions(line: str, zsh: str, script_file: Path, env: dict[str, str], cwd: Path) -> list[str]:
    setup = cwd / "setup.zsh"
    setup.write_text(ZSH_SETUP, encoding="utf-8")
    env = {**env, "APP_SCRIPT": str(script_file), "APP_SETUP": str(setup), "APP_LINE": line}
    result = in_shell([zsh, "-f", "-c", ZSH_DRIVE], env, cwd)
    out = result.stdout.replace("\r", "")
    assert "<registered>_app_completion</registered>" in out, result.output  # compdef took it
    assert "<done/>" in out, result.output
    return re.findall(r"<match>(.*?)</match>", out)


def test_zsh_completes_from_the_loaded_script(app_on_path: dict[str, str], tmp_path: Path) -> None:
    text = script("zsh", tmp_path)
    zsh = installed("zsh")
    if zsh is None:  # outside CI only (see the module's docstring): the script's text
        assert text.startswith("#compdef app\n") and SIGNATURES["zsh"] in text
        assert '_TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _APP_COMPLETE=complete_zsh app' in text
        return
    script_file = tmp_path / "_app"
    script_file.write_text(text, encoding="utf-8")

    def ask(line: str) -> list[str]:
        return zsh_completions(line, zsh, script_file, app_on_path, tmp_path)

    assert ask("app con") == ["convex"]
    assert ask("app convex ") == COMMANDS
    assert "--json" in ask("app convex check --")
    assert ask("app convex ping --sy") == ["--sync"]
    assert ask("app --show-completion ") == SHELLS


# A new interactive zsh in a pseudo-terminal (zpty) that reads the HOME's .zshrc, as the user's
# next shell does; the keys typed, then ^G, which prints the command line as it then is.
ZSH_SHOW_LINE = r"""
PROMPT=''
app_line() { print -r -- "<line>$BUFFER</line>"; exit }
zle -N app_line; bindkey '^G' app_line
print -r -- "<ready/>"
"""
ZSH_NEW_SHELL = r"""
zmodload zsh/zpty
zpty app_zsh zsh -i
zpty -w app_zsh "source ${(q)APP_SETUP}"
zpty -r app_zsh out '*<ready/>*'
zpty -w -n app_zsh "${APP_KEYS}"
while zpty -r app_zsh out; do print -rn -- "$out"; [[ $out == *'</line>'* ]] && break; done
zpty -d app_zsh
"""


def zsh_line_after(keys: str, zsh: str, env: dict[str, str], cwd: Path) -> str:
    """The command line of a new interactive zsh (its start-up files those of env's HOME) after
    `keys` are typed."""
    setup = cwd / "show-line.zsh"
    setup.write_text(ZSH_SHOW_LINE, encoding="utf-8")
    env = {**env, "ZDOTDIR": env["HOME"], "APP_SETUP": str(setup), "APP_KEYS": keys + "\x07"}
    result = in_shell([zsh, "-f", "-c", ZSH_NEW_SHELL], env, cwd)
    lines: list[str] = re.findall(r"<line>(.*?)</line>", result.stdout.replace("\r", ""))
    assert lines, result.output
    return lines[-1]


def test_zsh_completes_at_the_first_tab_after_install(app_on_path: dict[str, str], tmp_path: Path) -> None:
    """compinit autoloads ~/.zfunc/_app as the function for `app` at the first Tab: the file
    must complete then, not only hand `app` to another function for the Tabs after (Typer's
    script, the control case, completes from the second Tab on)."""
    zsh = installed("zsh")
    home = Path(app_on_path["HOME"])
    result = in_shell(["app", "--install-completion", "zsh"], app_on_path, tmp_path)
    assert result.returncode == 0, result.output
    if zsh is None:  # outside CI only (see the module's docstring): the file's text
        assert '_app_completion "$@"' in (home / ".zfunc" / "_app").read_text()
        return

    assert zsh_line_after("app con\t", zsh, app_on_path, tmp_path) == "app convex "

    from typer._completion_shared import get_completion_script

    typers = get_completion_script(prog_name="app", complete_var="_APP_COMPLETE", shell="zsh")
    (home / ".zfunc" / "_app").write_text(typers + "\n", encoding="utf-8")
    for dump in home.glob(".zcompdump*"):
        dump.unlink()
    assert zsh_line_after("app con\t", zsh, app_on_path, tmp_path) == "app con"
    assert zsh_line_after("app con\t\t", zsh, app_on_path, tmp_path) == "app convex "


def test_the_zsh_script_sourced_asks_nothing_until_a_tab(app_on_path: dict[str, str], tmp_path: Path) -> None:
    """Sourced (not autoloaded), the script only registers its function: the app is not run."""
    zsh = installed("zsh")
    text = script("zsh", tmp_path)
    if zsh is None:  # outside CI only (see the module's docstring): the script's text
        assert "loadautofunc" in text and SIGNATURES["zsh"] in text
        return
    script_file = tmp_path / "_app"
    script_file.write_text(text, encoding="utf-8")
    calls = tmp_path / "calls"
    bin_dir = tmp_path / "stub"
    bin_dir.mkdir()
    (bin_dir / "app").write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n', encoding="utf-8")
    (bin_dir / "app").chmod(0o755)
    env = {**app_on_path, "PATH": f"{bin_dir}{os.pathsep}{app_on_path['PATH']}"}
    ask = f'autoload -Uz compinit && compinit -u -D; source "{script_file}"; print -r -- "${{_comps[app]}}"'

    result = in_shell([zsh, "-f", "-c", ask], env, tmp_path)

    assert result.returncode == 0 and result.stdout == "_app_completion\n", result.output
    assert not calls.exists(), calls.read_text()


def test_fish_completes_from_the_loaded_script(app_on_path: dict[str, str], tmp_path: Path) -> None:
    text = script("fish", tmp_path)
    fish = installed("fish")
    if fish is None:  # outside CI only (see the module's docstring): the script's text
        assert text.startswith(SIGNATURES["fish"]) and "_APP_COMPLETE=complete_fish" in text
        assert "_TYPER_COMPLETE_ARGS=(commandline -cp) app" in text
        return
    script_file = tmp_path / "app.fish"
    script_file.write_text(text, encoding="utf-8")

    def ask(line: str) -> list[str]:
        command = f"source {script_file}; complete -C '{line}'"
        result = in_shell([fish, "--no-config", "-c", command], app_on_path, tmp_path)
        assert result.returncode == 0, result.output
        return [entry.split("\t")[0] for entry in result.stdout.splitlines()]

    assert ask("app con") == ["convex"]
    assert sorted(ask("app convex ")) == sorted(COMMANDS)  # fish sorts what it is given
    assert "--json" in ask("app convex check --")
    assert ask("app convex ping --sy") == ["--sync"]
    assert sorted(ask("app --show-completion ")) == sorted(SHELLS)


@pytest.mark.parametrize("shell", ["powershell", "pwsh"])
def test_powershell_script_registers_a_completer_that_asks_the_app(shell: str, tmp_path: Path) -> None:
    """PowerShell cannot be installed here: the script's text, and the answer the app gives
    to the request the script makes ($commandAst's text, the word being completed)."""
    text = script(shell, tmp_path)

    assert "Register-ArgumentCompleter -Native -CommandName app -ScriptBlock $scriptblock" in text
    assert '$Env:_APP_COMPLETE = "complete_powershell"' in text
    assert "$Env:_TYPER_COMPLETE_ARGS = $commandAst.ToString()" in text
    assert "$Env:_TYPER_COMPLETE_WORD_TO_COMPLETE = $wordToComplete" in text
    assert re.search(r"^\s*app \| ForEach-Object \{$", text, re.MULTILINE), text  # calls the app
    assert '$commandArray = $_ -Split ":::"' in text
    assert '$Env:_APP_COMPLETE = ""' in text  # and leaves the variable unset after

    answer = run_app(
        cwd=tmp_path,
        env=app_env(
            _APP_COMPLETE="complete_powershell",
            _TYPER_COMPLETE_ARGS="app convex",
            _TYPER_COMPLETE_WORD_TO_COMPLETE="",
        ),
    )
    assert answer.returncode == 0, answer.output
    assert [line.split(":::")[0] for line in answer.stdout.splitlines()] == COMMANDS
    from cli.commands import dev

    assert answer.stdout.splitlines()[0] == f"dev:::{dev.SHORT_HELP}"  # the short help, whole


# -- completion output under the output rules ------------------------------------------------


def test_a_completion_script_that_cannot_be_written_exits_74(tmp_path: Path) -> None:
    result = in_shell(
        ["sh", "-c", '"$@" >&-', "sh", sys.executable, "-P", "-m", "cli", "--show-completion", "zsh"],
        app_env(),
        tmp_path,
    )

    assert result.returncode == 74
    assert result.stderr.splitlines() == [
        "error: stdout is closed, so the output could not be written",
        "hint: Send stdout somewhere it can be written (a terminal, a pipe, a file on a disk with space).",
    ]


def test_completions_that_cannot_be_written_exit_74(tmp_path: Path) -> None:
    env = app_env(_APP_COMPLETE="complete_bash", COMP_WORDS="app convex ", COMP_CWORD="2")
    result = in_shell(
        ["sh", "-c", '"$@" > /dev/full', "sh", sys.executable, "-P", "-m", "cli"], env, tmp_path
    )

    assert result.returncode == 74
    assert (
        result.stderr.splitlines()[0]
        == "error: the output could not be written to stdout: No space left on device"
    )
