"""Whether the lead is robust to the missing data, and whether its must-exclude mimics are out.

Two checks decide ``insufficient_information`` besides a low posterior (docs/reasoning.md, step 7):

* **robustness**: a competitor with evidence of its own could overtake the lead if the low-cost
  tests not yet done came out in its favour;
* **mimics**: ``conditions.yaml: must_exclude`` names, per condition, the mimics the evidence
  base says must be excluded before committing to it, with the test that separates them
  (e.g. stenosis vs vascular claudication: pulses and the ABI, clinical-evidence.md §3 and §15).
  While such a mimic keeps some probability and evidence of its own, and none of the features of
  its deciding test has been observed, the lead is not committed to.
"""

from __future__ import annotations

import math

from groundup.reasoning.evidence import FindingIndex, evaluate
from groundup.reasoning.inference import Scored, log_lr
from groundup.reasoning.knowledge import Knowledge

COMPETITOR_FLOOR = 0.005  # competitors below this posterior are not re-opened by missing tests
#: a competitor needs recorded support exceeding the lead's in one group by this log-LR margin...
OWN_EVIDENCE_MARGIN = 0.05
#: ...unless its hypothesis prior is at least this: one presentation in ten (in conditions.yaml
#: only non-specific low back pain), a condition common enough to stay in play unaided
PRIOR_FLOOR = 0.1
#: a must-exclude mimic below this posterior counts as excluded by the recorded findings
MIMIC_FLOOR = 0.01


def _support(s: Scored) -> dict[str, float]:
    """Counted log-LR in favour of a hypothesis, per dependence group."""
    out: dict[str, float] = {}
    for x in s.contributions:
        if x.counted and x.log_lr > 0:
            out[x.feature.group] = out.get(x.feature.group, 0.0) + x.log_lr
    return out


def _own_evidence(support: dict[str, float], lead_support: dict[str, float]) -> bool:
    """Whether some recorded evidence favours the competitor more than it favours the lead."""
    return any(v > lead_support.get(g, 0.0) + OWN_EVIDENCE_MARGIN for g, v in support.items())


def robustness(
    kb: Knowledge, index: FindingIndex, scored: list[Scored], lead_condition: str
) -> list[dict]:
    """Competitors that the tests not yet done could still put ahead of the lead.

    A competing hypothesis (a different condition that is not an ``alternatives`` label of the
    lead, posterior >= ``COMPETITOR_FLOOR``) is considered only when it has evidence of its own:
    in at least one dependence group the recorded findings support it more than they support the
    lead (by ``OWN_EVIDENCE_MARGIN`` on the log scale), or its prior is at least ``PRIOR_FLOOR``
    (a common condition needs no recorded clue to stay in play). A rare condition that only
    shares the lead's findings, or is merely not excluded, does not hold the decision open: a
    missing test is a reason to wait only when something already points to the alternative.

    For each such competitor, add the most favourable outcome of every unobserved feature that a
    low-cost test of tests.yaml would reveal (per dependence group, the strongest only) to its log
    posterior odds against the lead. If the odds could exceed 1, the lead is not robust to the
    missing data and the returned tests are the ones to do first.
    """
    lead = next(s for s in scored if s.hypothesis.condition == lead_condition)
    lead_for = _support(lead)
    alternatives = set(kb.conditions[lead_condition].alternatives)
    testable: dict[str, str] = {}
    for tid, t in kb.tests.items():
        if t.get("cost") != "high":
            for fid in t["features"]:
                testable.setdefault(fid, tid)
    seen, out = set(), []
    for s in scored:
        c = s.hypothesis.condition
        if c == lead_condition or c in alternatives or c in seen or s.posterior < COMPETITOR_FLOOR:
            continue
        seen.add(c)
        if s.prior < PRIOR_FLOOR and not _own_evidence(_support(s), lead_for):
            continue  # nothing recorded points to it rather than to the lead
        observed = {x.feature.id for x in s.contributions}
        best_for: dict[str, float] = {}
        for x in s.contributions:
            if x.counted and x.log_lr > 0:
                best_for[x.feature.group] = max(best_for.get(x.feature.group, 0.0), x.log_lr)
        gains: dict[str, tuple[float, str]] = {}
        useful: list[tuple[float, str]] = []
        for fid, tid in testable.items():
            f = kb.features[fid]
            if fid in observed or evaluate(f, index, s.hypothesis.side).state is not None:
                continue
            w = 0.5 if not f.verified else 1.0
            delta = max(
                w * (log_lr(f, s.hypothesis, o) - log_lr(f, lead.hypothesis, o))
                for o in (True, False)
            )
            delta -= best_for.get(f.group, 0.0)
            if delta > 0:
                useful.append((delta, tid))
            if delta > gains.get(f.group, (0.0, ""))[0]:
                gains[f.group] = (delta, tid)
        odds = math.log(s.posterior / lead.posterior) + sum(g for g, _ in gains.values())
        if odds > 0:
            tests = [tid for _, tid in sorted(useful, reverse=True)]
            out.append(
                {
                    "condition": c,
                    "side": s.hypothesis.side,
                    "root": s.hypothesis.root,
                    "posterior": round(s.posterior, 4),
                    "tests": list(dict.fromkeys(tests)),
                    "reason": "the low-cost tests not yet done could put it ahead",
                }
            )
    return out


def unexcluded_mimics(
    kb: Knowledge, index: FindingIndex, scored: list[Scored], lead_condition: str
) -> list[dict]:
    """Must-exclude mimics of the lead whose deciding test has not been done.

    Parameters
    ----------
    kb, index, scored
        Knowledge, findings (with derived observations) and the scored hypotheses.
    lead_condition
        The leading condition.

    Returns
    -------
    list of dict
        One entry per mimic of ``conditions.yaml: must_exclude`` with posterior >=
        ``MIMIC_FLOOR``, recorded evidence of its own (as in :func:`robustness`) and no observed
        feature of any of its deciding tests; ``tests`` are those deciding tests.
    """
    lead = next(s for s in scored if s.hypothesis.condition == lead_condition)
    out = []
    for mimic, tests in kb.conditions[lead_condition].must_exclude.items():
        best = next((s for s in scored if s.hypothesis.condition == mimic), None)
        if (
            best is None
            or sum(s.posterior for s in scored if s.hypothesis.condition == mimic) < MIMIC_FLOOR
        ):
            continue
        if not _own_evidence(_support(best), _support(lead)):
            continue
        features = [kb.features[f] for t in tests for f in kb.tests[t]["features"]]
        if any(
            evaluate(f, index, side).state is not None
            for f in features
            for side in ("left", "right", "none")
        ):
            continue
        out.append(
            {
                "condition": mimic,
                "side": best.hypothesis.side,
                "root": best.hypothesis.root,
                "posterior": round(best.posterior, 4),
                "tests": list(tests),
                "reason": "must-exclude mimic; its deciding test was not done",
            }
        )
    return out
