"""The ``groundup`` Typer application and its shared console.

Each command lives in its own module of this package and registers itself on :data:`app`.
"""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="groundup: foot and back pain evaluated as one problem. "
                       "Supports, and does not replace, clinical judgement.")
#: Messages, tables and progress bars go to stderr so that ``--json -`` owns stdout.
console = Console(stderr=True, soft_wrap=True)
