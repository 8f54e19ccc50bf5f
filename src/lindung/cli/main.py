"""The ``lindung`` command: one Typer group per module; every error printed as one line.

A refusal, Lindung's own (a :class:`~lindung.errors.LindungError`) or the command line's (an
unknown option, a bad option value), is one ``Error: ...`` line on stderr, and the exit status
says which kind it was (``docs/errors.md``). Usage errors add a second line pointing to
``--help``.
"""

from __future__ import annotations

import gc
import logging
import re
import sys
from importlib.metadata import version as installed_version
from typing import Any, NoReturn

import typer
import typer.main

from lindung.cli import (
    assess,
    auth,
    countries,
    data,
    db,
    demo,
    exchange,
    framework,
    registry,
    report,
    serve,
    submission,
    survey,
    template,
    user,
)
from lindung.cli import settings as settings_command
from lindung.cli.collector import own_process
from lindung.cli.help_text import plain_help
from lindung.errors import LindungError, UsageError
from lindung.text import for_console

app = typer.Typer(
    name="lindung",
    help="Lindung: the ASEAN Social Protection Monitoring Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(data.app, name="data")
app.command("demo")(demo.demo)
app.add_typer(framework.app, name="framework")
app.command("countries")(countries.countries)
app.add_typer(assess.app, name="assess")
app.add_typer(template.app, name="template")
app.add_typer(submission.app, name="submission")
app.command("login")(auth.login)
app.command("logout")(auth.logout)
app.command("whoami")(auth.whoami)
app.add_typer(user.app, name="user")
app.add_typer(survey.app, name="survey")
app.add_typer(registry.app, name="registry")
app.command("settings")(settings_command.settings)
app.command("serve")(serve.serve)
app.add_typer(exchange.export_app, name="export")
app.add_typer(exchange.import_app, name="import")
app.add_typer(report.app, name="report")


def _print_version(wanted: bool) -> None:
    if wanted:
        print(f"lindung {installed_version('lindung')}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: bool = typer.Option(
        False,
        "--version",
        is_eager=True,
        callback=_print_version,
        help="Print Lindung's version and exit.",
    ),
    verbose: int = typer.Option(
        0,
        "--verbose",
        "-v",
        count=True,
        help="Log what Lindung does on stderr: -v the steps, -vv the details.",
    ),
) -> None:
    """Lindung: the ASEAN Social Protection Monitoring Framework."""
    if verbose:
        log_to_stderr(logging.INFO if verbose == 1 else logging.DEBUG)


class _OneLineFormatter(logging.Formatter):
    """A log line's message with its control characters shown as escapes."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return for_console(super().formatMessage(record), one_line=True)


_STDERR = logging.StreamHandler()
_STDERR.setFormatter(_OneLineFormatter("%(levelname)s %(name)s: %(message)s"))


def log_to_stderr(level: int) -> None:
    """Send the ``lindung`` loggers' records at ``level`` and above to stderr, until the
    command is done."""
    # Assigned, not setStream(): that flushes the stream of an earlier run, which may be closed
    # by now (a test's captured stderr, a caller's redirected one).
    _STDERR.stream = sys.stderr
    logger = logging.getLogger("lindung")
    logger.addHandler(_STDERR)
    logger.setLevel(level)


def _stop_logging() -> None:
    logger = logging.getLogger("lindung")
    logger.removeHandler(_STDERR)
    logger.setLevel(logging.NOTSET)


def _fail(message: str, status: int, hint: str | None = None) -> NoReturn:
    print(f"Error: {for_console(message, one_line=True)}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)
    sys.exit(status)


def _hint(command_path: str) -> str:
    return f"Try '{for_console(command_path, one_line=True)} --help' for help."


def _command_path(command: Any, args: list[str]) -> str:
    """Return the path of the command that ``args`` run (``lindung template make``), for the
    hint after a usage error found by the command itself rather than by the parser."""
    path = ["lindung"]
    for token in args:
        children = getattr(command, "commands", None)
        if not children or (token not in children and not token.startswith("-")):
            break
        if token in children:
            command = children[token]
            path.append(token)
    return " ".join(path)


#: Pydantic's wording of a refused option value (Typer checks values with it), in plain words;
#: ``{value}`` is what was typed, ``{0}`` the bound the rule names.
_PLAIN_REFUSALS = [
    (re.compile(r"Value error, (.*)"), "{0}"),
    (re.compile(r"Input should be a valid integer.*"), "{value} is not a whole number"),
    (re.compile(r"Input should be a valid number.*"), "{value} is not a number"),
    (re.compile(r"Input should be a valid boolean.*"), "{value} is not true or false"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), "{value} is less than {0}"),
    (re.compile(r"Input should be less than or equal to (\S+)"), "{value} is more than {0}"),
    (re.compile(r"Input should be greater than (\S+)"), "{value} is not more than {0}"),
    (re.compile(r"Input should be less than (\S+)"), "{value} is not less than {0}"),
    (re.compile(r"Input should be (.*)"), "{value} should be {0}"),
]


def _typed(args: list[str], names: list[str]) -> str:
    """Return the value given on the command line to an option named ``names``, quoted."""
    for number, token in enumerate(args):
        for name in names:
            if token.startswith(name + "="):
                return repr(token[len(name) + 1 :])
            if token == name and number + 1 < len(args):
                return repr(args[number + 1])
    return "it"


def plain_refusal(message: str, args: list[str], names: list[str]) -> str:
    """Return a usage error's message with Pydantic's wording of the rule made a sentence."""
    head, sep, rule = message.partition(": ")
    for pattern, sentence in _PLAIN_REFUSALS:
        found = pattern.fullmatch(rule.strip().rstrip("."))
        if sep and found:
            return f"{head}: " + sentence.format(*found.groups(), value=_typed(args, names))
    return message


_VERBOSE = re.compile(r"-v+|--verbose")
"""The root's one option that may come before the command in a partial tree."""


def command_tree(args: list[str]) -> Any:
    """Return the Click command that runs ``args``: the whole tree, or where the first word
    names a command or group, the root (its options and help) holding that one alone.

    Typer builds every command's parameters from its signature when the tree is made, a
    fiftieth of a second for the whole tree against a thousandth for one group; a command
    run needs only its own. ``lindung --help``, a mistyped command, the root alone and any
    option but ``--verbose`` before the command still get the whole tree (tests/cli/test_help.py
    holds each group's help and a set of command lines' output equal both ways)."""
    at = next((i for i, token in enumerate(args) if not token.startswith("-")), len(args))
    first = args[at] if at < len(args) else None
    groups = [group for group in app.registered_groups if group.name == first]
    commands = [command for command in app.registered_commands if command.name == first]
    # Before the command only the root's --verbose may come (``--help survey`` is the root's
    # help, which lists every command).
    if not (groups or commands) or not all(_VERBOSE.fullmatch(token) for token in args[:at]):
        return typer.main.get_command(app)
    one = typer.Typer(
        name=app.info.name,
        help=app.info.help,
        no_args_is_help=app.info.no_args_is_help,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    one.registered_callback = app.registered_callback
    one.registered_groups = groups
    one.registered_commands = commands
    return typer.main.get_command(one)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a refusal becomes one ``Error:`` line and its class's exit status."""
    args = sys.argv[1:] if argv is None else argv
    command = command_tree(args)
    plain_help(command)
    try:
        status = command.main(args=args, prog_name="lindung", standalone_mode=False)
    except LindungError as error:
        hint = _hint(_command_path(command, args)) if isinstance(error, UsageError) else None
        _fail(str(error), error.exit_status, hint)
    except typer.TyperException as error:
        # Click's own refusals: an unknown option, a bad value, a missing argument or file.
        # `lindung` (or a group) alone: its message is the help, as Typer itself tells it apart.
        if type(error).__name__ == "NoArgsIsHelpError":
            print(error.format_message())
            sys.exit(getattr(error, "exit_code", 2))
        context = getattr(error, "ctx", None)
        hint = _hint(context.command_path) if context is not None else None
        param = getattr(error, "param", None)
        names = list(getattr(param, "opts", None) or [])
        message = plain_refusal(error.format_message(), args, names)
        _fail(message, getattr(error, "exit_code", 1), hint)
    except typer.Abort:
        # A prompt that met the end of its input; Ctrl-C is Click's Exit(130), returned above.
        _fail("aborted", 1)
    finally:
        # A second run in the same process (tests, a notebook) starts quiet again.
        _stop_logging()
    sys.exit(status if isinstance(status, int) else 0)


def run() -> None:
    """The ``lindung`` command itself (and ``python -m lindung``): :func:`main`, then the
    process ends without the garbage collector's last passes.

    At exit the interpreter's collector walks every object the imports made (Ibis, sqlglot
    and pydantic make a great many) several times over, about 0.15 s of every command: the
    imports of the survey command took 1.03 s to load and exit, 0.88 s with the objects
    frozen first (15 pairs, all faster). Frozen, they are left to the process's end; files
    are closed and stores committed by then, and atexit handlers still run. :func:`main`
    alone, as tests and scripts call it, keeps the collector as it is.
    """
    own_process()
    try:
        main()
    finally:
        gc.freeze()
