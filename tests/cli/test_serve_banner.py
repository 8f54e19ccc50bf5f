"""``lindung serve`` says where it serves, in bold, whatever the host is typed as."""

from __future__ import annotations

from rich.console import Console

from lindung.cli.output import PlainConsole
from lindung.cli.serve import banner


def _printed(console: Console, host: str) -> str:
    with console.capture() as captured:
        console.print(banner(host, 8000), highlight=False)
    return captured.get()


def test_the_address_is_printed_in_bold_without_markup_tags_showing() -> None:
    console = PlainConsole(force_terminal=True, color_system="standard", width=200)
    printed = _printed(console, "127.0.0.1")
    assert "[bold]" not in printed
    assert "\x1b[1mhttp://127.0.0.1:8000/" in printed
    assert printed.endswith("(Ctrl+C stops it)\n")


def test_an_ipv6_host_is_bracketed_and_a_hostile_one_is_shown_as_typed() -> None:
    console = PlainConsole(width=200)
    assert "http://[::1]:8000/" in _printed(console, "::1")
    assert "http://[/red]\\nx:8000/" in _printed(console, "[/red]\nx")
