"""Shared test fixtures: the real recordings beside the repo in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def data_file(relative: str) -> Path:
    """Path of a file in ../shared/data, skipping the test when it is absent."""
    path = DATA / relative
    if not path.exists():
        pytest.skip(f"needs ../shared/data/{relative}")
    return path


@pytest.fixture
def data() -> Path:
    if not DATA.exists():
        pytest.skip("needs ../shared/data beside the repo")
    return DATA
