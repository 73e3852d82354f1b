"""The ``groundup`` command line (typer + rich): ``groundup --help`` lists the commands."""

from __future__ import annotations

from groundup.cli import assess, demo, gait, video  # noqa: F401  (modules register commands)
from groundup.cli.app import app, console
from groundup.errors import GroundupError

__all__ = ["app", "main"]


def main() -> None:
    """Entry point that turns any unexpected error into a one-line message."""
    try:
        app()
    except GroundupError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise SystemExit(1) from None
