"""``casus serve``: the dashboard and API on a local port (registered on ``casus.cli.app``)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from .cli import _run, app, err
from .errors import OptionError


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve beyond this machine without a token (OptionError E501 with the reason)."""
    from .web.security import is_loopback

    if not is_loopback(host) and not token:
        raise OptionError(f"refusing to listen on {host}: that address is reachable from other machines, and "
                          "the dashboard shows your whole database. Pass --token SECRET (or set CASUS_TOKEN) "
                          "to require it on every request, or keep the default --host 127.0.0.1")


def serve_app(db: Path, host: str, port: int, token: str | None):
    """Check the options and build the app (its allowed hosts limited to loopback names without a token)."""
    from .web import create_app
    from .web.security import is_loopback

    check_bind(host, token)
    if not 0 < port < 65536:
        raise OptionError(f"port {port} is not between 1 and 65535")
    hosts = None
    if token is None and is_loopback(host):
        hosts = ["127.0.0.1", "localhost", "::1", host]
    return create_app(db, token=token, allowed_hosts=hosts)


@app.command()
def serve(
    db: Path = typer.Option(Path("casus.duckdb"), "--db", help="The event database (DuckDB file)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback unless --token)."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CASUS_TOKEN",
                                        help="Require this token (Bearer header, ?token=, or its cookie)."),
) -> None:
    """Serve the dashboard and JSON API over the database (read-only; an ingest may run meanwhile)."""
    import uvicorn

    web_app = _run(serve_app, db, host, port, token)
    if not db.exists():
        err.print(f"[yellow]note[/yellow] {escape(str(db))} does not exist yet: pages will say so until "
                  f"`casus ingest FILES --db {escape(str(db))}` creates it")
    shown = f"[{host}]" if ":" in host else host
    err.print(f"casus dashboard on http://{escape(shown)}:{port}/" + ("?token=…" if token else ""))
    uvicorn.run(web_app, host=host, port=port, log_level="warning", server_header=False)
