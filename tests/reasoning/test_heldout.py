"""groundup's own held-out vignettes (tests/reasoning/heldout) through assess() and care_plan().

The 28 cases were written from the evidence base (../shared/knowledge) and the case README's
clinical definitions, with their answer keys fixed before the engine was run on them
(docs/reasoning.md, "Held-out set"). Red flags and forbidden plan items are checked per case
(100 % required); the other answers are aggregate figures the engine actually reaches, so a
regression shows up and an improvement can raise them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from cases import score_case  # noqa: E402

HELDOUT = Path(__file__).resolve().parent / "heldout"
PATHS = sorted(HELDOUT.glob("case-*.yaml"))

#: figures reached on the held-out set (bench/cases.py --dir tests/reasoning/heldout)
FLOORS = {
    "top1": 0.89,
    "top1_qualified": 0.89,
    "top3": 1.0,
    # h05 (spondyloarthritis): since morning stiffness is read from the history text the engine
    # declines (SpA 0.35 vs plantar fasciitis 0.58) instead of committing to the wrong answer
    "status_ok": 0.96,
    "link_ok": 0.96,
    "plan_ok": 1.0,
}


@pytest.fixture(scope="module")
def rows():
    return [score_case(p) for p in PATHS]


def test_heldout_set_present():
    assert len(PATHS) >= 20


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_red_flags_and_forbidden_plan_items_per_case(path):
    r = score_case(path)
    assert r["red_flag_ok"], f"{path.stem}: red flag mismatch ({r['got']})"
    assert r["urgent_ok"], f"{path.stem}: urgent referral mismatch"
    assert not r["plan_forbidden"], f"{path.stem}: forbidden plan items {r['plan_forbidden']}"


def test_red_flag_recall_is_complete(rows):
    flagged = [r for r in rows if r["red_flag_expected"]]
    assert len(flagged) >= 8
    assert all(r["red_flag_ok"] for r in flagged)


@pytest.mark.parametrize("key,floor", sorted(FLOORS.items()))
def test_heldout_aggregate(rows, key, floor):
    bad = [r["case"] for r in rows if not r[key]]
    rate = 1 - len(bad) / len(rows)
    assert rate >= floor, f"{key}: {rate:.1%} < {floor:.0%}; failing: {bad}"


def test_heldout_brier(rows):
    briers = [r["brier"] for r in rows if "brier" in r]
    assert sum(briers) / len(briers) < 0.42
