"""Keep mediapipe's native start-up log lines out of the clinician's terminal.

mediapipe's C++ layers print "Created TensorFlow Lite XNNPACK delegate" and absl warnings
straight to file descriptor 2 when a model first runs; Python's logging and environment
variables do not reach them. :func:`native_stderr_silenced` redirects that descriptor while the
models start; Python exceptions are unaffected and still carry their messages.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send native (C/C++) writes to stderr to the null device for the ``with`` block."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # stderr replaced (pytest capture, notebook)
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            try:
                yield
            finally:
                sys.stderr.flush()  # Python text written meanwhile goes to the null device too
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def native_stderr_off_for_command() -> None:
    """For a command-line run that uses the pose model: from now on native (C/C++) writes to
    stderr go to the null device, while Python's ``sys.stderr`` -- messages, progress bars,
    warnings and tracebacks -- keeps writing to the terminal.

    mediapipe's graph threads log start-up lines ("inference_feedback_manager ...") when a
    model first meets a person, after :func:`native_stderr_silenced` has handed the descriptor
    back. Set ``GROUNDUP_NATIVE_LOGS=1`` to keep them (debugging).
    """
    if os.environ.get("GROUNDUP_NATIVE_LOGS") == "1":
        return
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # stderr replaced (pytest capture, notebook)
        return
    if fd != 2:
        return
    sys.stderr.flush()
    python_side = os.fdopen(os.dup(2), "w", buffering=1, encoding=sys.stderr.encoding,
                            errors=sys.stderr.errors)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    os.close(null)
    sys.stderr = python_side
