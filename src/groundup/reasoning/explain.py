"""Explanations: evidence for and against with effect size and source, what is missing, and the
next test ranked by expected information gain (bits) over the current posterior."""

from __future__ import annotations

import itertools
import math
from typing import Any

from groundup.reasoning.evidence import FindingIndex, evaluate
from groundup.reasoning.inference import Scored
from groundup.reasoning.knowledge import Knowledge

MAX_UNITS = 4  # (feature, side) outcomes enumerated jointly per test
MASS = 0.995  # hypotheses covering this posterior mass are used for information gain


def _item(c) -> dict[str, Any]:
    return {
        "feature": c.feature.id,
        "finding": c.feature.label,
        "observed": "present" if c.present else "absent",
        "likelihood_ratio": round(c.lr, 2),
        "counted": c.counted,
        "note": None if c.counted else f"dependent on a stronger item of group '{c.feature.group}'",
        "verified": c.feature.verified,
        "source": c.feature.source,
        "codes": sorted({f.code for f in c.findings}),
    }


def explain(s: Scored, kb: Knowledge, index: FindingIndex) -> dict[str, Any]:
    """Evidence for/against one hypothesis, and the unobserved features that matter most for it."""
    contrib = sorted(s.contributions, key=lambda c: -abs(c.log_lr))
    for_ = [_item(c) for c in contrib if c.log_lr > 0.05]
    against = [_item(c) for c in contrib if c.log_lr < -0.05]
    seen = {c.feature.id for c in s.contributions}
    missing = []
    for f in kb.features.values():
        if f.id in seen:
            continue
        p, d = f.p_given(s.hypothesis.condition, s.hypothesis.root), f.p["default"]
        if abs(math.log(p / d)) >= math.log(3) or abs(math.log((1 - p) / (1 - d))) >= math.log(3):
            missing.append(
                {
                    "feature": f.id,
                    "finding": f.label,
                    "lr_if_present": round(p / d, 2),
                    "lr_if_absent": round((1 - p) / (1 - d), 2),
                }
            )
    return {
        "prior": round(s.prior, 4),
        "posterior": round(s.posterior, 4),
        "evidence_for": for_,
        "evidence_against": against,
        "missing": missing[:8],
    }


def _entropy(ps) -> float:
    return -sum(p * math.log2(p) for p in ps if p > 0)


def information_gain(kb: Knowledge, index: FindingIndex, scored: list[Scored]) -> list[dict]:
    """Expected information gain of each not-yet-observed test, best first.

    The test's features are treated as conditionally independent given the hypothesis (the same
    naive-Bayes assumption as the ranking; dependence groups are ignored here, which can
    overstate the gain of a test that repeats one already done).
    """
    top, mass = [], 0.0
    for s in scored:
        top.append(s)
        mass += s.posterior
        if mass >= MASS:
            break
    post = [s.posterior / mass for s in top]
    h0 = _entropy(post)
    out = []
    for tid, test in kb.tests.items():
        units = []
        for fid in test["features"]:
            f = kb.features[fid]
            sides = ("left", "right") if f.side in ("same", "only_same") else ("none",)
            units += [(f, side) for side in sides if evaluate(f, index, side).state is None]
        units = units[:MAX_UNITS]
        if not units:
            continue
        expected = 0.0
        for outcome in itertools.product((True, False), repeat=len(units)):
            joint = []
            for s in top:
                like = 1.0
                for (f, side), present in zip(units, outcome, strict=True):
                    applies = side == "none" or s.hypothesis.side in (side, "none")
                    p = (
                        f.p_given(s.hypothesis.condition, s.hypothesis.root)
                        if applies
                        else f.p["default"]
                    )
                    like *= p if present else 1 - p
                joint.append(like)
            p_out = sum(w * j for w, j in zip(post, joint, strict=True))
            if p_out <= 0:
                continue
            expected += p_out * _entropy([w * j / p_out for w, j in zip(post, joint, strict=True)])
        gain = h0 - expected
        out.append(
            {
                "id": tid,
                "information_gain_bits": round(gain, 3),
                "reveals": sorted({f.label for f, _ in units}),
            }
        )
    return sorted(out, key=lambda t: -t["information_gain_bits"])


def contributions_summary(s: Scored) -> float:
    """Total counted log-LR of a hypothesis (for reporting)."""
    return sum(c.log_lr for c in s.contributions if c.counted)


__all__ = ["explain", "information_gain"]
