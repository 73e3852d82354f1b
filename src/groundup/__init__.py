"""groundup: foot and back pain evaluated as one problem.

The package follows one direction of data flow (see ``docs/architecture.md``)::

    recordings -> motion.Trial -> gait.GaitResult -> Finding -> reasoning -> plan -> report

groundup supports a clinician's judgement; it does not replace it.
"""

from groundup.errors import GroundupError
from groundup.findings import Finding

__all__ = ["Finding", "GroundupError"]
__version__ = "0.1.0"
