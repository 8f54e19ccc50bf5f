"""``lindung serve``: the web dashboard and API on this machine (uvicorn)."""

from __future__ import annotations

import typer
from rich.text import Text

from lindung.cli.output import console
from lindung.cli.store_access import open_store
from lindung.errors import UsageError
from lindung.text import for_console


def banner(host: str, port: int) -> Text:
    """Return the line that says where the site is served, its address in bold (an IPv6
    address in brackets), the host shown as typed, never read as markup."""
    shown = f"[{host}]" if ":" in host else host
    return Text.assemble(
        "Lindung is serving on ",
        (f"http://{for_console(shown, one_line=True)}:{port}/", "bold"),
        " (Ctrl+C stops it)",
    )


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (each with its own connections)."
    ),
) -> None:
    """Serve the web dashboard and the API on the store (Ctrl+C stops it)."""
    import uvicorn

    from lindung.web.config import secret_key

    if not host.strip():
        raise UsageError("--host is empty; give an address such as 127.0.0.1")
    open_store().dispose()
    # Made once here, so that every worker process reads the same secret.
    secret_key()
    console.print(banner(host, port), highlight=False)
    uvicorn.run(
        "lindung.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # No access log (a line per request, formatted even when not shown); uvicorn[standard]
        # brings httptools and uvloop, which "auto" then picks (not on Windows, for uvloop).
        access_log=False,
        http="auto",
        loop="auto",
        server_header=False,
        proxy_headers=False,
    )
