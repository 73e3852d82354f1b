"""From Findings to evidence: index the findings, match values, evaluate features and clauses.

A feature (features.yaml) is evaluated for one hypothesis side and gives ``True`` (present),
``False`` (absent) or ``None`` (not observed: the finding is missing or ``not_done``). Missing
data is never read as normal (cases README, "Missing data").
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from groundup.findings import Finding
from groundup.reasoning.knowledge import Feature

NOT_DONE = "not_done"
OTHER = {"left": "right", "right": "left"}


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def matches(
    value: Any, matcher: dict, finding: Finding | None = None, root: str | None = None
) -> bool:
    """Whether ``value`` satisfies every key of ``matcher`` (see features.yaml header)."""
    for key, want in matcher.items():
        if key == "any_of":
            if not any(matches(value, m, finding, root) for m in want):
                return False
        elif key == "any_value":
            if value is None or value == NOT_DONE:
                return False
        elif key == "is":
            if value is not want:
                return False
        elif key == "eq":
            if value != want:
                return False
        elif key == "in":
            if isinstance(value, bool):
                if not any(w is value for w in want):
                    return False
            elif value not in want:
                return False
        elif key in ("contains", "not_contains"):
            text = str(value).lower() if isinstance(value, str) else ""
            hit = any(w in text for w in want)
            if (key == "contains") != hit:
                return False
        elif key in ("ge", "gt", "le", "lt"):
            x = _num(value)
            if x is None and isinstance(value, bool) and key in ("gt", "ge"):
                x = 1.0 if value else 0.0  # a symptom recorded as True counts as present
            if x is None:
                return False
            if not {"ge": x >= want, "gt": x > want, "le": x <= want, "lt": x < want}[key]:
                return False
        elif key == "q":
            quals = finding.qualifiers if finding is not None else {}
            for qk, qv in want.items():
                expected = root if qv == "$root" else qv
                if expected is None or str(quals.get(qk, "")).upper() != str(expected).upper():
                    return False
        else:
            raise ValueError(f"unknown matcher key {key!r}")
    return True


@dataclass(frozen=True)
class Observation:
    """Result of a feature for one side: state and the findings it rests on."""

    state: bool | None
    findings: tuple[Finding, ...] = ()


class FindingIndex:
    """Findings by code, with side-aware lookup; ``not_done`` values are kept apart."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        self.by_code: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            self.by_code[f.code].append(f)
        self.used: set[int] = set()

    def get(self, code: str) -> list[Finding]:
        """Findings with exactly this code (prefix lookup when the code ends with '.')."""
        if code.endswith("."):
            return [f for c, fs in self.by_code.items() if c.startswith(code) for f in fs]
        return self.by_code.get(code, [])

    def has_prefix(self, prefix: str) -> bool:
        """Any recorded (not ``not_done``) finding whose code starts with ``prefix``."""
        return any(
            c.startswith(prefix) and any(f.value != NOT_DONE for f in fs)
            for c, fs in self.by_code.items()
        )

    def value(self, code: str, side: str = "none") -> Any:
        """The first recorded value of ``code`` on ``side`` (or side-less), else ``None``."""
        for f in self.get(code):
            if f.value != NOT_DONE and f.side in (side, "none", "bilateral"):
                return f.value
        return None

    def sided(self, code: str) -> dict[str, Any]:
        """``{"left": v, "right": v}`` for a per-side numeric/categorical code."""
        out: dict[str, Any] = {}
        for f in self.get(code):
            if f.value == NOT_DONE:
                continue
            for s in ("left", "right") if f.side == "bilateral" else (f.side,):
                if s in OTHER and s not in out:
                    out[s] = f.value
        return out


def _on_side(f: Finding, side: str) -> bool:
    return f.side in (side, "bilateral", "none")


def _eval_subset(
    feature: Feature, items: list[Finding], root: str | None, index: FindingIndex
) -> Observation:
    recorded = [f for f in items if f.value != NOT_DONE]
    hits = [f for f in recorded if matches(f.value, feature.present, f, root)]
    if hits:
        return Observation(True, tuple(hits))
    if feature.absent is not None:
        neg = [f for f in recorded if matches(f.value, feature.absent, f, root)]
        if neg:
            return Observation(False, tuple(neg))
        if feature.observed_when is None:
            return Observation(None)
    elif recorded:
        return Observation(False, tuple(recorded))
    if feature.observed_when is not None and (
        feature.observed_when == ""
        and index.findings
        or feature.observed_when
        and index.has_prefix(feature.observed_when)
    ):
        return Observation(False)
    return Observation(None)


def evaluate(
    feature: Feature, index: FindingIndex, side: str, root: str | None = None
) -> Observation:
    """Evaluate ``feature`` for a hypothesis on ``side`` (``left``/``right``/``none``)."""
    items = [f for code in feature.codes for f in index.get(code)]
    mode = feature.side
    if mode in ("any", "none") or (mode == "same" and side not in OTHER):
        return _eval_subset(feature, items, root, index)
    if mode == "same":
        sided = [f for f in items if f.side != "none"]
        # side-less findings (e.g. a symptom) count only when nothing records the side
        pool = [f for f in sided if _on_side(f, side)] if sided else items
        return _eval_subset(feature, pool, root, index)
    left = _eval_subset(feature, [f for f in items if _on_side(f, "left")], root, index)
    right = _eval_subset(feature, [f for f in items if _on_side(f, "right")], root, index)
    if mode == "both":
        if left.state and right.state:
            return Observation(True, left.findings + right.findings)
        if left.state is False or right.state is False:
            return Observation(False, left.findings + right.findings)
        return Observation(None)
    # only_same: present on this side and not on the other (for side-less hypotheses: one side)
    sides = (side,) if side in OTHER else ("left", "right")
    obs = {"left": left, "right": right}
    for s in sides:
        mine, theirs = obs[s], obs[OTHER[s]]
        if mine.state and not theirs.state:
            return Observation(True, mine.findings)
    if any(o.state is not None for o in obs.values()):
        return Observation(False, left.findings + right.findings)
    return Observation(None)


def clause(
    spec: dict,
    index: FindingIndex,
    features: dict[str, Feature],
    attributes: dict[str, Any] | None = None,
) -> bool:
    """Evaluate a rule clause (red_flags.yaml / plan_rules.yaml clause language)."""
    if "all_of" in spec:
        return all(clause(c, index, features, attributes) for c in spec["all_of"])
    if "any_of" in spec:
        return any(clause(c, index, features, attributes) for c in spec["any_of"])
    if "not" in spec:
        return not clause(spec["not"], index, features, attributes)
    if "feature" in spec:
        return bool(evaluate(features[spec["feature"]], index, "none").state)
    if "attribute" in spec:
        matcher = {k: v for k, v in spec.items() if k != "attribute"}
        return matches((attributes or {}).get(spec["attribute"]), matcher)
    matcher = {k: v for k, v in spec.items() if k not in ("code", "side")}
    return any(
        f.value != NOT_DONE and matches(f.value, matcher, f) for f in index.get(spec["code"])
    )
