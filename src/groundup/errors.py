"""Errors that carry a message for the person at the keyboard.

Every error raised on bad input is a :class:`GroundupError` (or a subclass): it says what is
wrong, and, where it can, what still works and what to do. The CLI prints these without a
traceback.
"""

from __future__ import annotations


class GroundupError(Exception):
    """A problem with the input that the user can act on.

    Parameters
    ----------
    message
        What is wrong, in words a clinician or researcher understands.
    hint
        What to do about it, or what could still be computed.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class RecordingError(GroundupError):
    """A recording cannot be read (missing, truncated, corrupt, unknown format)."""


class InsufficientDataError(GroundupError):
    """A recording was read but holds too little for an analysis (no feet, one step, static)."""
