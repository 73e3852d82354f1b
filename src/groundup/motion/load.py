"""Open any supported recording as a :class:`~groundup.motion.trial.Trial`."""

from __future__ import annotations

from pathlib import Path

from groundup.errors import RecordingError
from groundup.motion.trial import Trial
from groundup.motion.vocabulary import load_vocabulary

SUFFIXES = (".c3d", ".trc")


def load_trial(path: str | Path, *, markers: str | Path | None = None) -> Trial:
    """Read a C3D or TRC file (a TRC picks up its GRF ``.mot`` beside it).

    Parameters
    ----------
    path
        The recording.
    markers
        Optional user marker vocabulary (YAML) extending the shipped one.
    """
    path = Path(path)
    vocab = load_vocabulary(markers)
    suffix = path.suffix.lower()
    if not path.exists():
        raise RecordingError(f"{path}: no such file")
    if suffix == ".c3d":
        from groundup.motion.c3d import read_c3d

        return read_c3d(path, vocabulary=vocab)
    if suffix == ".trc":
        from groundup.motion.grf import read_trc_with_grf

        return read_trc_with_grf(path, vocabulary=vocab)
    raise RecordingError(f"{path.name}: unsupported file type {suffix or '(none)'}",
                         hint=f"groundup reads {', '.join(SUFFIXES)}")
