"""The ``scrubline`` command line: the parser, the command plug-ins and the dispatch.

Enters: the arguments (``main(argv)``; ``sys.argv[1:]`` when ``argv`` is None).
Leaves: the exit status of the command that ran (:mod:`cleaners.cli.common`: 0 every input
cleaned or skipped, 1 some failed, 2 a usage error or an output folder another run is
writing to). Nothing runs at import.

Commands are registered, never imported by name. A command module has
``register(subparsers) -> dict[str, Handler]``: it adds its sub-parsers to ``subparsers``
(the object ``ArgumentParser.add_subparsers`` returned) and returns, for each command name
it added, the function that runs it (``Handler``: ``argparse.Namespace -> int``, the exit
status). The library's commands are the modules of :data:`LIBRARY_COMMANDS`; other
packages add theirs through the entry point group ``scrubline.commands``
(:data:`PLUGIN_GROUP`), whose entries are such ``register`` functions: the Prefect layer
registers ``run`` and ``schedule`` as ``flows = "flows.cli:register"``. The library never
imports them: their entry points are loaded only when the command is not one of the
library's (or for ``--help``, no command or an unknown one), so ``scrubline clean`` imports
neither the plug-ins nor what they import.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points

from cleaners.__about__ import __version__
from cleaners.cli import clean, config, export, inspect
from cleaners.cli.common import Handler, Register

#: ``register`` of each library command module, in the order ``--help`` lists them.
LIBRARY_COMMANDS: tuple[Register, ...] = (
    clean.register,  # clean
    inspect.register,  # diff, explain, report, rules
    config.register,  # config show, check, init
    export.register,  # export
)
#: Entry point group of the packages that add commands (listed after the library's).
PLUGIN_GROUP = "scrubline.commands"
PLUGIN_FAILED_TEXT = "scrubline: warning: the commands of {name} ({value}) are not available: {error}"


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every library command and of every plug-in's, leaving the plug-ins
    out when ``argv`` is given and names a library command."""
    parser = argparse.ArgumentParser(
        prog="scrubline",
        description="Clean scraped web text, HTML and OCR text into normalized documents "
        "with metadata, explaining every edit.",
        epilog="Exit status: 0 all cleaned or skipped, 1 some inputs failed, 2 usage error "
        "or output folder in use by another run.",
    )
    parser.add_argument("--version", action="version", version=f"scrubline {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in LIBRARY_COMMANDS:
        add_commands(sub, register)
    if argv is None or command_of(argv) not in sub.choices:
        add_plugin_commands(sub)  # a plug-in's command, --help, or a mistake
    return parser


def add_commands(sub: argparse._SubParsersAction, register: Register) -> None:
    """Let ``register`` add its commands, and make each sub-parser run its handler."""
    handlers: dict[str, Handler] = register(sub)
    for name, handler in handlers.items():
        sub.choices[name].set_defaults(func=handler)


def add_plugin_commands(sub: argparse._SubParsersAction) -> None:
    """Add the commands of every ``scrubline.commands`` entry point; one that fails to load
    is left out with a warning on stderr (the other commands still work)."""
    for ep in entry_points(group=PLUGIN_GROUP):
        try:
            add_commands(sub, ep.load())
        except Exception as exc:  # a broken or half-installed plug-in: say so, go on
            error = f"{type(exc).__name__}: {exc}"
            print(PLUGIN_FAILED_TEXT.format(name=ep.name, value=ep.value, error=error),
                  file=sys.stderr)


def command_of(argv: Sequence[str]) -> str | None:
    """The command word of the arguments: the first that is not an option.

    (The top-level options, ``--help`` and ``--version``, take no value.)

    >>> command_of(["clean", "seeds", "-o", "out"]), command_of(["--help"])
    ('clean', None)
    """
    return next((a for a in argv if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("scrubline: interrupted", file=sys.stderr)
        return 130
