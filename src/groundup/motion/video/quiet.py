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
