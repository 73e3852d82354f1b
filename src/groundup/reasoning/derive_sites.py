"""Derived observations from descriptive palpation sites and timeline problem names.

The case format records palpation as ``{site, side, finding}`` with free snake_case names, and
timeline problems as free snake_case. The knowledge files cannot list every spelling, so this
module maps names to a few anatomical tags by keyword (``derived.tender.<tag>``,
``derived.foot_ulcer``, ``derived.foot_ulcer_infected``, ``derived.ankle_injury_history``).
The structured foot-skin record of the exam package (``exam.foot_skin.ulcer`` =
``absent/present/infected``, ``exam.foot_skin.probe_to_bone``) gives the same two ulcer tags, so
the features and red-flag rules read one code whatever the source.
Nothing here is a diagnosis; the features in features.yaml give the tags their weight.
"""

from __future__ import annotations

from groundup.findings import Finding
from groundup.reasoning.derive_limb import derived
from groundup.reasoning.evidence import OTHER, FindingIndex

#: palpation tag -> (site keywords, site keywords that exclude the tag)
SITE_TAGS = {
    "calcaneal_body": (
        ("calcaneal_body", "calcaneal_wall", "calcaneus", "calcaneal_tuberosity_walls"),
        ("tubercle",),
    ),
    "tibial_border": (("tibial_border", "posteromedial_tibia", "medial_tibia"), ()),
    "ankle_joint": (("ankle_joint", "tibiotalar", "anterior_ankle"), ()),
    "achilles_insertion": (("achilles_insertion", "achilles_enthesis", "retrocalcaneal"), ()),
}
ULCER_WORDS = ("ulcer", "wound", "tissue_loss", "eschar", "necros", "gangren")
INFECTION_WORDS = ("purulen", "pus", "infect", "probe_to_bone", "cellulitis", "abscess", "discharg")
ANKLE_WORDS = ("ankle", "malleol", "talus", "talar", "pilon")
INJURY_WORDS = ("fracture", "sprain", "injur", "orif", "trauma", "dislocat")


def _d(code: str, value, side: str, display: str) -> Finding:
    return derived(code, value, side, display=display, method="groundup.reasoning.derive_sites")


def _tender(text: str) -> bool:
    return "tender" in text and "not_tender" not in text and "non_tender" not in text


def palpation_tags(index: FindingIndex, out: list[Finding]) -> None:
    """``derived.tender.<tag>`` per side, and foot ulcers (with or without infection)."""
    for f in index.findings:
        if not f.code.startswith("exam.palpation."):
            continue
        site = f.code[len("exam.palpation.") :].lower()
        text = str(f.value).lower()
        for tag, (words, exclude) in SITE_TAGS.items():
            if any(w in site for w in words) and not any(w in site for w in exclude):
                out.append(_d(f"derived.tender.{tag}", _tender(text), f.side, f"tenderness: {tag}"))
        if any(w in text or w in site for w in ULCER_WORDS):
            out.append(_d("derived.foot_ulcer", True, f.side, "foot ulcer / tissue loss"))
            if any(w in text for w in INFECTION_WORDS):
                out.append(_d("derived.foot_ulcer_infected", True, f.side, "infected foot ulcer"))


def skin_tags(index: FindingIndex, out: list[Finding]) -> None:
    """Ulcer tags from ``exam.foot_skin``: an ulcer present or infected, infection, or a
    positive probe-to-bone test (IWGDF: purulence, cellulitis or probe-to-bone = infected)."""
    for f in index.get("exam.foot_skin.ulcer"):
        if f.value in ("present", "infected", "absent"):
            out.append(_d("derived.foot_ulcer", f.value != "absent", f.side, "foot ulcer (exam)"))
        if f.value == "infected":
            out.append(_d("derived.foot_ulcer_infected", True, f.side, "infected foot ulcer"))
    for f in index.get("exam.foot_skin.probe_to_bone"):
        if f.value == "positive":
            out.append(_d("derived.foot_ulcer", True, f.side, "foot ulcer (probe-to-bone)"))
            out.append(_d("derived.foot_ulcer_infected", True, f.side, "probe-to-bone positive"))


def onset_problem_sides(index: FindingIndex, where: tuple[str, ...],
                        what: tuple[str, ...]) -> list[str]:
    """Sides of the timeline problems (``history.onset.<problem>``) whose name holds a word of
    ``where`` and one of ``what``: the finding's side, else a side named in the problem, else
    ``"none"``."""
    sides = []
    for f in index.findings:
        if not f.code.startswith("history.onset."):
            continue
        problem = f.code[len("history.onset.") :].lower()
        if any(w in problem for w in where) and any(w in problem for w in what):
            sides.append(f.side if f.side in OTHER
                         else next((s for s in OTHER if s in problem), "none"))
    return sides


def history_tags(index: FindingIndex, out: list[Finding]) -> None:
    """``derived.ankle_injury_history`` from timeline problem names (old fracture/sprain)."""
    for side in onset_problem_sides(index, ANKLE_WORDS, INJURY_WORDS):
        out.append(_d("derived.ankle_injury_history", True, side, "old ankle injury"))


def derive_sites(index: FindingIndex, out: list[Finding]) -> None:
    """All site- and name-based derived findings."""
    palpation_tags(index, out)
    skin_tags(index, out)
    history_tags(index, out)
