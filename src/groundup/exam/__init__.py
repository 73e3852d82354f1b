"""Clinical inputs -> findings: intake, pain map, red flags, questionnaires, physical exam,
gait record and imaging.

Entry points: :func:`findings_from_case` and :func:`load_case` (case-file format).
"""

from groundup.exam.case import findings_and_problems, findings_from_case, load_case
from groundup.exam.common import CaseError, Problem

__all__ = ["CaseError", "Problem", "findings_and_problems", "findings_from_case", "load_case"]
