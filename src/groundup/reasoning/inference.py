"""Bayesian ranking of hypotheses with likelihood ratios, without double counting.

Hypotheses are (condition, side[, root]) triples: mutually exclusive explanations of the
presenting complaint, with the priors of conditions.yaml split over sides and roots. Each observed
feature multiplies the odds of a hypothesis by its likelihood ratio against ``default`` (the
feature's probability in any other condition):

* present: LR = p / default; absent: LR = (1 - p) / (1 - default); not observed: no update;
* UNVERIFIED or expert-estimated numbers (``verified: false``) enter with half their log-LR,
  findings of low confidence with a further reduction;
* dependent features share a ``group``: within a group only the strongest log-LR for and the
  strongest against a hypothesis count (e.g. SLR, slump and crossed SLR all measure neural
  tension, so they are never multiplied together).

The result is a posterior over all hypotheses (sums to 1) plus, per condition, the probability
that the condition is present at all (its own prevalence as prior, same evidence), used for
secondary diagnoses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from groundup.reasoning.evidence import FindingIndex, Observation, evaluate
from groundup.reasoning.knowledge import Feature, Knowledge

UNVERIFIED_WEIGHT = 0.5
CONFIDENCE_WEIGHT = {"high": 1.0, "moderate": 1.0, "low": 0.7, "very low": 0.4}


@dataclass(frozen=True)
class Hypothesis:
    """One explanation: a condition, its side (``none`` if not lateral) and nerve root."""

    condition: str
    side: str = "none"
    root: str | None = None


@dataclass
class Contribution:
    """The effect of one feature on one hypothesis."""

    feature: Feature
    present: bool
    log_lr: float
    counted: bool
    findings: tuple

    @property
    def lr(self) -> float:
        return math.exp(self.log_lr)


@dataclass
class Scored:
    """A hypothesis with its prior, evidence and posterior."""

    hypothesis: Hypothesis
    prior: float
    contributions: list[Contribution] = field(default_factory=list)
    log_lr: float = 0.0
    posterior: float = 0.0


def hypotheses(kb: Knowledge) -> list[tuple[Hypothesis, float]]:
    """All hypotheses with their prior (condition prior split over sides and roots)."""
    total = sum(c.prior for c in kb.conditions.values())
    out = []
    for c in kb.conditions.values():
        sides = ("left", "right") if c.lateral else ("none",)
        roots = c.roots or {None: 1.0}
        rsum = sum(roots.values())
        for side in sides:
            for root, share in roots.items():
                out.append(
                    (Hypothesis(c.id, side, root), c.prior / total / len(sides) * share / rsum)
                )
    return out


def feature_weight(feature: Feature, obs: Observation) -> float:
    """Caution weight: halved for unverified numbers, reduced for low-confidence findings."""
    w = 1.0 if feature.verified else UNVERIFIED_WEIGHT
    if obs.findings:
        w *= min(CONFIDENCE_WEIGHT.get(f.confidence, 1.0) for f in obs.findings)
    return w


def log_lr(feature: Feature, hyp: Hypothesis, present: bool) -> float:
    """Unweighted log likelihood ratio of a feature outcome for a hypothesis vs default."""
    p, d = feature.p_given(hyp.condition, hyp.root), feature.p["default"]
    return math.log(p / d) if present else math.log((1 - p) / (1 - d))


def score(
    kb: Knowledge, index: FindingIndex, exclude: frozenset[str] = frozenset()
) -> list[Scored]:
    """Posterior over all hypotheses, best first (``exclude``: feature ids to ignore)."""
    cache: dict[tuple[str, str, str | None], Observation] = {}
    scored = []
    for hyp, prior in hypotheses(kb):
        s = Scored(hyp, prior)
        groups: dict[str, list[Contribution]] = {}
        for feature in kb.features.values():
            if feature.id in exclude:
                continue
            root = hyp.root if any("@" in k for k in feature.p) or "q" in feature.present else None
            key = (feature.id, hyp.side, root)
            if key not in cache:
                cache[key] = evaluate(feature, index, hyp.side, root)
            obs = cache[key]
            if obs.state is None:
                continue
            value = feature_weight(feature, obs) * log_lr(feature, hyp, obs.state)
            groups.setdefault(feature.group, []).append(
                Contribution(feature, obs.state, value, False, obs.findings)
            )
        for items in groups.values():
            best_for = max(items, key=lambda c: c.log_lr)
            best_against = min(items, key=lambda c: c.log_lr)
            for c in {id(best_for): best_for, id(best_against): best_against}.values():
                if (c is best_for and c.log_lr > 0) or (c is best_against and c.log_lr < 0):
                    c.counted = True
                    s.log_lr += c.log_lr
            s.contributions.extend(items)
        scored.append(s)
    top = max(math.log(s.prior) + s.log_lr for s in scored)
    weights = [math.exp(math.log(s.prior) + s.log_lr - top) for s in scored]
    total = sum(weights)
    for s, w in zip(scored, weights, strict=True):
        s.posterior = w / total
    return sorted(scored, key=lambda s: s.posterior, reverse=True)


@dataclass
class ConditionResult:
    """Per-condition summary: total posterior, best side/root, presence probability."""

    condition: str
    probability: float
    best: Scored
    presence: float
    side_probability: dict[str, float] = field(default_factory=dict)


def by_condition(kb: Knowledge, scored: list[Scored]) -> list[ConditionResult]:
    """Aggregate hypotheses per condition, most probable first."""
    groups: dict[str, list[Scored]] = {}
    for s in scored:
        groups.setdefault(s.hypothesis.condition, []).append(s)
    out = []
    for cid, items in groups.items():
        best = max(items, key=lambda s: s.posterior)
        sides: dict[str, float] = {}
        for s in items:
            sides[s.hypothesis.side] = sides.get(s.hypothesis.side, 0.0) + s.posterior
        prev = kb.conditions[cid].prevalence
        logit = math.log(prev / (1 - prev)) + max(s.log_lr for s in items)
        out.append(
            ConditionResult(
                cid, sum(s.posterior for s in items), best, 1 / (1 + math.exp(-logit)), sides
            )
        )
    return sorted(out, key=lambda r: r.probability, reverse=True)
