"""Neurological exam: root-level pattern (L4/L5/S1) and strength asymmetry.

Root map (clinical-evidence.md §1; textbook consensus):

=====  ===========================================  ===================================  ==========
root   sensation (exam areas)                       myotome (MRC keys)                   reflex
=====  ===========================================  ===================================  ==========
L4     medial_shin_and_malleolus, anterior_thigh    knee_extension, ankle_dorsiflexion   patellar
L5     dorsum_foot_first_web_space, lateral_leg     ehl, ankle_dorsiflexion,             (none)
                                                    hip_abduction, ankle_inversion,
                                                    ankle_eversion
S1     lateral_border_foot_and_sole, heel_plantar   ankle_plantarflexion, ankle_eversion achilles
=====  ===========================================  ===================================  ==========

Peripheral-nerve territories (medial/lateral plantar nerve, interdigital, stocking) belong to no
root: a sole-only or stocking pattern points away from the spine (§9, §11).

Myotomes L2-S1 (:data:`MUSCLE_ROOTS`, :data:`KEY_MYOTOMES`): the L4/L5/S1 rows follow the §1
table; L2 (hip flexion) and L3 (knee extension) are the usual key muscles of the lower-limb
motor exam (ISNCSCI convention) and are **not in the research pack (UNVERIFIED)**. They are
recorded and graded (MRC 0-5 per side) but not used for the root-level pattern, which the issue
and §1 restrict to L4/L5/S1.
"""

from __future__ import annotations

from typing import Any

from groundup.exam.common import Builder, is_number

ROOT_SENSORY = {
    "L4": ("medial_shin_and_malleolus", "anterior_thigh"),
    "L5": ("dorsum_foot_first_web_space", "lateral_leg"),
    "S1": ("lateral_border_foot_and_sole", "heel_plantar"),
}
ROOT_MOTOR = {
    "L4": ("knee_extension", "ankle_dorsiflexion"),
    "L5": ("ehl", "ankle_dorsiflexion", "hip_abduction", "ankle_inversion", "ankle_eversion"),
    "S1": ("ankle_plantarflexion", "ankle_eversion"),
}
ROOT_REFLEX = {"L4": "patellar", "S1": "achilles"}  # L5 has no reliable reflex (§1)
#: MRC muscle key -> roots it is graded for (first = main root). L4-S1 rows from
#: clinical-evidence.md §1; hip_flexion (L2), hip_adduction (L2-L3), knee_flexion (L5-S1) and
#: L3 for knee extension are textbook/ISNCSCI conventions, not in the pack (UNVERIFIED)
MUSCLE_ROOTS: dict[str, tuple[str, ...]] = {
    "hip_flexion": ("L2", "L1", "L3"),
    "hip_adduction": ("L2", "L3"),
    "knee_extension": ("L3", "L4"),
    "ankle_dorsiflexion": ("L4", "L5"),
    "ehl": ("L5",),
    "hip_abduction": ("L5",),
    "ankle_inversion": ("L5", "L4"),
    "ankle_eversion": ("L5", "S1"),
    "ankle_plantarflexion": ("S1",),
    "hip_extension": ("S1",),
    "knee_flexion": ("L5", "S1"),
}
#: key muscle per root L2-S1 (ISNCSCI lower-limb key muscles; L2/L3 UNVERIFIED in the pack)
KEY_MYOTOMES = {"L2": "hip_flexion", "L3": "knee_extension", "L4": "ankle_dorsiflexion",
                "L5": "ehl", "S1": "ankle_plantarflexion"}
#: reflexes the exam records (§1; L5 medial hamstring is inconsistent and not used for roots)
REFLEXES = ("patellar", "achilles", "medial_hamstring")
UMN_SOURCE = ("textbook neurology, not in the research pack (UNVERIFIED): an extensor plantar "
              "response (Babinski) is an upper-motor-neuron sign that a lumbar root lesion does "
              "not explain; think of cord or brain pathology")
ABNORMAL_SENSATION = ("reduced", "absent", "paraesthesia", "reduced_reported")
ROOT_SOURCE = ("clinical-evidence.md §1 root map; Iversen 2013 BMC Musculoskelet Disord 14:206 "
               "(clinical level prediction LR+ 6.28 L4, 1.74 L5, 1.29 S1)")
#: a side-to-side difference of this many MRC grades is reported as a strength asymmetry
MRC_ASYMMETRY_GRADES = 1  # any grade difference is clinically reportable (groundup convention)


def _per_side(block: Any, key: str) -> dict:
    value = block.get(key) if isinstance(block, dict) else None
    return value if isinstance(value, dict) else {}


def root_signs(neuro: dict, side: str) -> dict[str, dict[str, list[str]]]:
    """For one side: root -> domain (``sensory/motor/reflex``) -> the abnormal signs.

    A reflex counts when reduced/absent on this side and not equally reduced on the other side
    (symmetric loss is the neuropathy pattern, §11). Weakness is MRC <= 4; with the other side
    recorded, it must also be weaker than the other side.
    """
    other = "right" if side == "left" else "left"
    signs: dict[str, dict[str, list[str]]] = {r: {} for r in ROOT_SENSORY}
    sensation = neuro.get("sensation") if isinstance(neuro.get("sensation"), list) else []
    for entry in sensation:
        if not isinstance(entry, dict) or entry.get("finding") not in ABNORMAL_SENSATION:
            continue
        if entry.get("side") not in (side, "bilateral"):
            continue
        for root, areas in ROOT_SENSORY.items():
            if entry.get("area") in areas:
                signs[root].setdefault("sensory", []).append(f"sensation.{entry['area']}")
    mrc = neuro.get("strength_mrc") if isinstance(neuro.get("strength_mrc"), dict) else {}
    for root, muscles in ROOT_MOTOR.items():
        for muscle in muscles:
            grades = mrc.get(muscle) if isinstance(mrc.get(muscle), dict) else {}
            g, o = grades.get(side), grades.get(other)
            if is_number(g) and g <= 4 and not (is_number(o) and o <= g):
                signs[root].setdefault("motor", []).append(f"strength_mrc.{muscle}={g}")
    reflexes = neuro.get("reflexes") if isinstance(neuro.get("reflexes"), dict) else {}
    rank = {"normal": 0, "brisk": 0, "reduced": 1, "absent": 2}
    for root, reflex in ROOT_REFLEX.items():
        grades = reflexes.get(reflex) if isinstance(reflexes.get(reflex), dict) else {}
        g, o = rank.get(grades.get(side)), rank.get(grades.get(other))
        if g and (o is None or g > o):
            signs[root].setdefault("reflex", []).append(f"reflexes.{reflex}={grades[side]}")
    return {r: d for r, d in signs.items() if d}


def root_level(neuro: dict, side: str) -> tuple[str | None, dict]:
    """The root whose signs cover most domains on one side (``None`` if no root pattern).

    A root pattern needs at least two of the three domains (dermatome, myotome, reflex) for the
    same root on the same side; a tie between roots is broken by the number of signs, and a
    remaining tie gives ``None`` (ambiguous).
    """
    signs = root_signs(neuro, side)
    scored = sorted(((len(d), sum(map(len, d.values())), r) for r, d in signs.items()),
                    reverse=True)
    if not scored or scored[0][0] < 2:
        return None, signs
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None, signs
    return scored[0][2], signs


def myotome_grades(neuro: dict, side: str) -> dict[str, float]:
    """Root (L2-S1) -> MRC grade of its key muscle on one side, for the muscles recorded."""
    mrc = neuro.get("strength_mrc") if isinstance(neuro.get("strength_mrc"), dict) else {}
    out = {}
    for root, muscle in KEY_MYOTOMES.items():
        grades = mrc.get(muscle) if isinstance(mrc.get(muscle), dict) else {}
        if is_number(grades.get(side)):
            out[root] = grades[side]
    return out


def upper_motor_neuron(neuro: dict, b: Builder) -> None:
    """``exam.derived.upper_motor_neuron_sign`` = True on a side with an extensor Babinski.

    Brisk reflexes on that side are added to the reasons (on their own they are not a sign).
    """
    babinski = neuro.get("babinski")
    sides = babinski if isinstance(babinski, dict) else (
        {"left": babinski, "right": babinski} if babinski == "extensor" else {})
    reflexes = neuro.get("reflexes") if isinstance(neuro.get("reflexes"), dict) else {}
    for side in ("left", "right"):
        if sides.get(side) != "extensor":
            continue
        reasons = ["babinski=extensor"] + [
            f"reflexes.{r}=brisk" for r, v in reflexes.items()
            if isinstance(v, dict) and v.get(side) == "brisk"]
        b.add("exam.derived.upper_motor_neuron_sign", True, side=side, confidence="moderate",
              display="Upper-motor-neuron sign (extensor plantar response)",
              qualifiers={"reasons": reasons}, interpretation={"source": UMN_SOURCE},
              field_path="exam.neuro.babinski")


def neuro_derived(neuro: Any, b: Builder) -> None:
    """``exam.derived.root_level`` per side with a pattern (``"none"`` if examined, no pattern)
    and ``exam.derived.strength_asymmetry.<muscle>`` (grade difference, weaker side)."""
    if not isinstance(neuro, dict):
        return
    upper_motor_neuron(neuro, b)
    examined = any(isinstance(neuro.get(k), dict | list) for k in
                   ("sensation", "strength_mrc", "reflexes"))
    if not examined:
        return
    found = False
    for side in ("left", "right"):
        root, signs = root_level(neuro, side)
        if root:
            found = True
            b.add("exam.derived.root_level", root, side=side, confidence="moderate",
                  display="Root-level pattern (dermatome + myotome + reflex)",
                  qualifiers={"domains": sorted(signs[root]), "signs": signs[root],
                              "other_roots": {r: d for r, d in signs.items() if r != root}},
                  interpretation={"source": ROOT_SOURCE}, field_path="exam.neuro")
    if not found:
        b.add("exam.derived.root_level", "none", display="Root-level pattern", confidence="low",
              field_path="exam.neuro", interpretation={"source": ROOT_SOURCE})
    mrc = neuro.get("strength_mrc") if isinstance(neuro.get("strength_mrc"), dict) else {}
    for muscle, grades in mrc.items():
        if not isinstance(grades, dict):
            continue
        left, right = grades.get("left"), grades.get("right")
        if is_number(left) and is_number(right) and abs(left - right) >= MRC_ASYMMETRY_GRADES:
            b.add(f"exam.derived.strength_asymmetry.{muscle}", float(abs(left - right)),
                  unit="{MRC grade}", side="left" if left < right else "right",
                  display=f"Strength asymmetry: {muscle.replace('_', ' ')} (weaker side)",
                  field_path=f"exam.neuro.strength_mrc.{muscle}",
                  interpretation={"threshold": MRC_ASYMMETRY_GRADES,
                                  "source": "groundup convention: any MRC grade difference"})
