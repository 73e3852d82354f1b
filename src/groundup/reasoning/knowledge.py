"""Load and check the reasoning knowledge files (``groundup/knowledge/reasoning/*.yaml``).

The files are the reviewable part of the engine: conditions with priors, features with
likelihoods and sources, red-flag rules, tests, link thresholds and plan rules. This module only
reads and validates them; nothing clinical is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from groundup.errors import GroundupError

SIDE_MODES = ("same", "any", "both", "only_same", "none")


@dataclass(frozen=True)
class Condition:
    """One condition (hypothesis family) with its prior."""

    id: str
    region: str
    lateral: bool
    prior: float
    prevalence: float
    roots: dict[str, float] = field(default_factory=dict)
    red_flags: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()
    must_exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Feature:
    """One yes/no evidence item and its likelihood table (see features.yaml header)."""

    id: str
    label: str
    codes: tuple[str, ...]
    side: str
    present: dict
    absent: dict | None
    observed_when: str | None
    group: str
    p: dict[str, float]
    verified: bool
    source: str
    reference_standard: str = ""
    population: str = ""

    def p_given(self, condition: str, root: str | None) -> float:
        """P(feature present | condition[, root]), falling back to ``default``."""
        if root and f"{condition}@{root}" in self.p:
            return self.p[f"{condition}@{root}"]
        return self.p.get(condition, self.p["default"])


@dataclass(frozen=True)
class Knowledge:
    """Everything the reasoning reads from data files."""

    population: str
    conditions: dict[str, Condition]
    features: dict[str, Feature]
    red_flags: dict[str, dict]
    tests: dict[str, dict]
    workup: dict[str, list[str]]
    measures: dict[str, list[str]]
    link: dict[str, Any]
    plan: dict[str, Any]


def _read(name: str) -> Any:
    path = resources.files("groundup") / "knowledge" / "reasoning" / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise GroundupError(
            f"reasoning knowledge file {name!r} is missing", hint="reinstall groundup"
        ) from exc
    except yaml.YAMLError as exc:
        raise GroundupError(f"reasoning knowledge file {name!r} is not valid YAML: {exc}") from exc


def _conditions(doc: dict) -> dict[str, Condition]:
    out = {}
    for cid, c in doc["conditions"].items():
        flags = c.get("red_flag") or ()
        out[cid] = Condition(
            id=cid,
            region=c["region"],
            lateral=bool(c["lateral"]),
            prior=float(c["prior"]),
            prevalence=float(c.get("prevalence", c["prior"])),
            roots=dict(c.get("roots") or {}),
            red_flags=tuple([flags] if isinstance(flags, str) else flags),
            alternatives=tuple(c.get("alternatives") or ()),
            must_exclude={m: tuple(t) for m, t in (c.get("must_exclude") or {}).items()},
            source=c.get("source", ""),
        )
    return out


def _features(doc: dict, conditions: dict[str, Condition]) -> dict[str, Feature]:
    out = {}
    for fid, f in doc["features"].items():
        where = f"features.yaml: {fid}"
        if f.get("side") not in SIDE_MODES:
            raise GroundupError(f"{where}: side must be one of {SIDE_MODES}")
        p = {str(k): float(v) for k, v in (f.get("p") or {}).items()}
        if "default" not in p:
            raise GroundupError(f"{where}: the likelihood table needs a 'default' entry")
        for key, value in p.items():
            cid = key.split("@")[0]
            if key != "default" and cid not in conditions:
                raise GroundupError(f"{where}: unknown condition {cid!r} in p")
            if not 0.0 < value < 1.0:
                raise GroundupError(f"{where}: p[{key}] = {value} must be strictly between 0 and 1")
        out[fid] = Feature(
            id=fid,
            label=f["label"],
            codes=tuple(f["codes"]),
            side=f["side"],
            present=dict(f["present"]),
            absent=f.get("absent"),
            observed_when=f.get("observed_when"),
            group=f.get("group", fid),
            p=p,
            verified=bool(f.get("verified", False)),
            source=f.get("source", ""),
            reference_standard=f.get("reference_standard", ""),
            population=f.get("population", ""),
        )
    return out


@cache
def knowledge() -> Knowledge:
    """The parsed and checked knowledge (cached; the files are read once)."""
    cdoc = _read("conditions.yaml")
    conditions = _conditions(cdoc)
    features = _features(_read("features.yaml"), conditions)
    flags = _read("red_flags.yaml")["red_flags"]
    tdoc = _read("tests.yaml")
    for tid, t in tdoc["tests"].items():
        for fid in t["features"]:
            if fid not in features:
                raise GroundupError(f"tests.yaml: test {tid!r} names unknown feature {fid!r}")
    for c in conditions.values():
        for mimic, tests in c.must_exclude.items():
            if mimic not in conditions or any(t not in tdoc["tests"] for t in tests):
                raise GroundupError(
                    f"conditions.yaml: {c.id}.must_exclude names an unknown condition or test"
                )
    return Knowledge(
        population=cdoc.get("population", ""),
        conditions=conditions,
        features=features,
        red_flags=flags,
        tests=tdoc["tests"],
        workup=tdoc.get("workup") or {},
        measures=tdoc.get("measures") or {},
        link=_read("link_rules.yaml"),
        plan=_read("plan_rules.yaml"),
    )
