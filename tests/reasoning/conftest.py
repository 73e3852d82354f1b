"""Fixtures for the reasoning tests: the case folder beside the repo and Finding builders."""

from __future__ import annotations

from pathlib import Path

import pytest

from groundup.findings import Finding

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"


def case_paths() -> list[Path]:
    """The development vignettes (empty when ../shared/cases is absent)."""
    return sorted(CASES.glob("case-*.yaml"))


def fd(code: str, value, side: str = "none", **kw) -> Finding:
    """A hand-built finding."""
    return Finding(
        code=code, display=code, value=value, side=side, source=kw.pop("source", "exam"), **kw
    )


@pytest.fixture
def cases() -> list[Path]:
    paths = case_paths()
    if not paths:
        pytest.skip("needs ../shared/cases beside the repo")
    return paths
