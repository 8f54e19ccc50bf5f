"""Plain option values in ``--help``: ``FILE``, ``N``, ``YEAR``, ``EMAIL``, nothing after a flag.

Typer labels each value with its Python type (``--force <bool>``, ``--households <int range>
[x>=1]``, ``{email}``), words a user of a ministry laptop should not have to decode. The command
tree is relabelled once, after Typer builds it and before Click parses or prints anything; an
option that names its own metavar keeps it.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperOption

#: A value's word by the parameter's name, where its type or name alone would mislead.
_NAME_WORDS = {
    "path": "PATH",
    "actor": "EMAIL",
    "email": "EMAIL",
    "country": "ISO3",
    "indicators": "SERIES,...",
    "fmt": "FORMAT",
    "note": "TEXT",
    "code": "CODE",
}
_TYPE_WORDS = {"int": "N", "float": "NUMBER", "file": "FILE", "path": "FILE", "dir": "FOLDER"}


def _range(low: float | None, high: float | None) -> str | None:
    if low is None and high is None:
        return None
    if high is None:
        return f"at least {low}"
    if low is None:
        return f"at most {high}"
    return f"{low} to {high}"


class PlainOption(TyperOption):
    """An option whose value shows as a plain word and whose range as words."""

    def _get_number_range_help_str(self) -> str | None:
        if self.count:
            return None
        return _range(self.min, self.max)


class PlainArgument(TyperArgument):
    """An argument shown by its word alone, in the usage line and in the help table."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        word = self.display_name_raw
        return [word if self.required else f"[{word}]"]

    def _get_number_range_help_str(self) -> str | None:
        return _range(self.min, self.max)


def value_word(param: TyperOption | TyperArgument, ctx: Any) -> str:
    """Return the word for ``param``'s value in help: '' for a flag, the choices, or a noun."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    label = param.display_type(ctx).strip("<>")
    name = param.name or ""
    if "|" in label:
        return label
    if "year" in name or name == "since":
        return "YEAR"
    if name.endswith("_id"):
        return "ID"
    if name in _NAME_WORDS:
        return _NAME_WORDS[name]
    return _TYPE_WORDS.get(label.removesuffix(" range"), name.upper())


def plain_help(command: Any) -> None:
    """Give every parameter under ``command`` (its ``--help`` too) a plain metavar, in place."""
    ctx = typer.Context(command)
    # Built now, the help option is the one Click caches and shows, relabelled with the rest.
    for param in [*command.params, command.get_help_option(ctx)]:
        if isinstance(param, TyperOption):
            if param.metavar is None:
                param.metavar = value_word(param, ctx)
            param.__class__ = PlainOption
        elif isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = value_word(param, ctx)
            param.__class__ = PlainArgument
    for child in getattr(command, "commands", {}).values():
        plain_help(child)
