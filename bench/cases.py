"""Benchmark the reasoning and care plan against the clinical vignettes in ../shared/cases.

Run from the repository root:  .venv/bin/python bench/cases.py [--dir PATH]

``--dir`` scores any folder of ``case-*.yaml`` vignettes (default ../shared/cases, the development
set); ``tests/reasoning/heldout`` is groundup's own held-out set (docs/reasoning.md).

Prints top-1 / top-3 accuracy, link-direction accuracy, red-flag recall and specificity, urgent
referral agreement, the Brier score and the plan checks (must_include / one_of / must_not). Only
``patient``, ``history``, ``questionnaires``, ``exam``, ``gait`` and ``imaging`` reach the
engine; ``expected`` is read here for scoring only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from groundup.plan import care_plan
from groundup.reasoning import assess
from groundup.reasoning.case_adapter import load_for_reasoning

DEFAULT_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "cases"
QUALIFIERS = ("side", "root", "level")


def score_case(path: Path) -> dict:
    """Run one case and compare with its answer key."""
    expected = yaml.safe_load(path.read_text())["expected"]
    _, findings = load_for_reasoning(path)
    a = assess(findings)
    plan = care_plan(a, findings)
    ids = set(plan.item_ids)
    r: dict = {"case": path.stem, "status_ok": a.status == expected["status"]}
    prim = expected.get("primary") or {}
    ranked = [c["id"] for c in a.conditions]
    if expected["status"] == "determined":
        top = a.conditions[0]
        r["top1"] = r["status_ok"] and top["id"] == prim["condition"]
        r["top1_qualified"] = r["top1"] and all(
            str(top.get(q)) == str(prim[q]) for q in QUALIFIERS if q in prim
        )
        r["top3"] = prim["condition"] in ranked[:3]
        r["brier"] = sum(
            (c["probability"] - (c["id"] == prim["condition"])) ** 2 for c in a.conditions
        )
    else:
        covered = set(expected.get("next_tests") or []) <= set(a.next_tests)
        r["top1"] = r["top1_qualified"] = r["status_ok"] and covered
        r["top3"] = r["status_ok"]
        r["tests_missing"] = sorted(set(expected.get("next_tests") or []) - set(a.next_tests))
    r["link_ok"] = a.link == expected["link"]
    r["red_flag_expected"] = bool(expected["red_flag"])
    r["red_flag_ok"] = a.red_flag == bool(expected["red_flag"]) and set(
        expected.get("red_flags") or []
    ) <= set(a.red_flags)
    r["urgent_ok"] = a.urgent_referral == bool(expected["urgent_referral"])
    r["plan_missing"] = [i for i in expected.get("plan_must_include") or [] if i not in ids]
    r["plan_one_of_missing"] = [
        g for g in expected.get("plan_must_include_one_of") or [] if not ids & set(g)
    ]
    r["plan_forbidden"] = [i for i in expected.get("plan_must_not_include") or [] if i in ids]
    r["plan_ok"] = not (r["plan_missing"] or r["plan_one_of_missing"] or r["plan_forbidden"])
    r["got"] = f"{a.status} {a.conditions[0]['id']} {a.conditions[0].get('side', '')} link={a.link}"
    return r


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="score the reasoning on a folder of vignettes")
    parser.add_argument(
        "--dir", type=Path, default=None, help=f"case folder (default {DEFAULT_DIR})"
    )
    parser.add_argument("folder", nargs="?", type=Path, default=None, help="same as --dir")
    args = parser.parse_args(argv)
    folder = args.dir or args.folder or DEFAULT_DIR
    paths = sorted(folder.glob("case-*.yaml"))
    if not paths:
        print(f"no case-*.yaml files in {folder}")
        return 1
    rows = [score_case(p) for p in paths]
    n = len(rows)

    def pct(key, subset=None):
        sel = [r for r in rows if subset is None or subset(r)]
        return 100.0 * sum(bool(r[key]) for r in sel) / len(sel) if sel else float("nan"), len(sel)

    flagged = lambda r: r["red_flag_expected"]  # noqa: E731
    unflagged = lambda r: not r["red_flag_expected"]  # noqa: E731
    briers = [r["brier"] for r in rows if "brier" in r]
    print(f"cases: {n} ({folder.name})")
    for label, key, sub in (
        ("status (determined / insufficient)", "status_ok", None),
        ("top-1 (condition; insufficient: declines + tests cover)", "top1", None),
        ("top-1 with side, root and level", "top1_qualified", None),
        ("top-3", "top3", None),
        ("link direction", "link_ok", None),
        ("red-flag recall", "red_flag_ok", flagged),
        ("red-flag specificity", "red_flag_ok", unflagged),
        ("urgent referral agreement", "urgent_ok", None),
        ("plan checks (must / one_of / must_not)", "plan_ok", None),
    ):
        value, m = pct(key, sub)
        print(f"  {label:<58} {value:6.1f} %  (n={m})")
    print(
        f"  {'Brier score (multi-class, determined cases; 0 = perfect)':<58} "
        f"{sum(briers) / len(briers):8.3f}  (n={len(briers)})"
    )
    print("failures:")
    for r in rows:
        bad = [
            k
            for k in ("top1", "top1_qualified", "link_ok", "red_flag_ok", "urgent_ok", "plan_ok")
            if not r[k]
        ]
        if bad:
            detail = {
                k: r[k]
                for k in ("plan_missing", "plan_one_of_missing", "plan_forbidden", "tests_missing")
                if r.get(k)
            }
            print(f"  {r['case']}: {', '.join(bad)} | got {r['got']} {detail or ''}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
