"""Reports for the clinician (HTML now; PDF and the patient version later).

Reports are self-contained files: figures are inlined, nothing is fetched from the network.
"""

from groundup.report.gait_html import write_gait_report

__all__ = ["write_gait_report"]
