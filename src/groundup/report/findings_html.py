"""Tables of the clinical findings for the clinician report, grouped as the clinic examines.

Groups follow the whole chain: history and pain, questionnaires, foot, spine and neural tension,
muscles and movement, nerves, leg length and alignment, vessels, imaging. A finding's group is
chosen from its code (docs/finding-codes.md); anything unrecognised lands under "Other".
"""

from __future__ import annotations

from groundup.findings import Finding
from groundup.report.html import esc

#: (title, code prefixes), in report order; the first matching group wins.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("Red-flag screen", ("redflag.",)),
    ("Symptoms and history", ("symptom.", "history.", "patient.")),
    ("Pain map", ("pain.",)),
    ("Questionnaires", ("questionnaire.",)),
    ("Foot structure and function", ("exam.foot_posture.", "exam.palpation.",
                                     "exam.special_tests.windlass", "exam.special_tests.too_many",
                                     "exam.special_tests.single_leg_heel",
                                     "exam.special_tests.heel_inverts",
                                     "exam.special_tests.calcaneal", "exam.special_tests.mulder",
                                     "exam.special_tests.web_space",
                                     "exam.special_tests.tarsal_tunnel",
                                     "exam.special_tests.dorsiflexion_eversion")),
    ("Spine, pelvis and neural tension", ("exam.special_tests.", "exam.lumbar.", "exam.spine.")),
    ("Muscles and movement", ("exam.rom.", "exam.neuro.strength", "exam.muscles.",
                              "exam.flexibility.")),
    ("Nerves", ("exam.neuro.", "exam.derived.root")),
    ("Leg length and alignment", ("exam.leg_length.", "exam.derived.leg_length")),
    ("Vessels", ("exam.vascular.",)),
    ("Imaging", ("imaging.",)),
    ("Derived from the examination", ("exam.derived.",)),
]
HIDDEN_PREFIXES = ("gait.",)  # gait has its own section


def group_of(code: str) -> str:
    """The report group of a finding code."""
    for title, prefixes in GROUPS:
        if code.startswith(prefixes):
            return title
    return "Other"


def _value(f: Finding) -> str:
    v = f.value
    if isinstance(v, bool):
        text = "yes" if v else "no"
    elif isinstance(v, float):
        text = f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
    else:
        text = "—" if v is None else str(v).replace("_", " ")
    return f"{text} {f.unit}" if f.unit and not isinstance(v, bool) else text


def _qualifiers(f: Finding) -> str:
    parts = [f"{k.replace('_', ' ')}: {v}" for k, v in (f.qualifiers or {}).items()]
    flag = (f.interpretation or {}).get("flag")
    if flag:
        parts.append(f"flag: {flag}")
    return "; ".join(parts)


def findings_sections(findings: list[Finding], *, level: int = 2) -> str:
    """One table per group: finding, side, value, detail, source and confidence."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        if f.code.startswith(HIDDEN_PREFIXES):
            continue
        groups.setdefault(group_of(f.code), []).append(f)
    order = [t for t, _ in GROUPS] + ["Other"]
    out = []
    h = f"h{level}"
    for title in order:
        items = groups.get(title)
        if not items:
            continue
        rows = "".join(
            f"<tr><td>{esc(f.display)}</td><td>{esc(f.side if f.side != 'none' else '—')}</td>"
            f"<td>{esc(_value(f))}</td><td>{esc(_qualifiers(f))}</td>"
            f"<td>{esc(f.source)}</td><td>{esc(f.confidence)}</td></tr>" for f in items)
        out.append(f"<{h}>{esc(title)}</{h}><table><tr><th>Finding</th><th>Side</th>"
                   f"<th>Value</th><th>Detail</th><th>Source</th><th>Confidence</th></tr>"
                   f"{rows}</table>")
    return "".join(out) or "<p>No clinical findings recorded.</p>"
