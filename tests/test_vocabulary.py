"""The marker vocabulary maps every marker set in the shared data, and users can extend it."""

from __future__ import annotations

import pytest

from groundup.motion.vocabulary import default_vocabulary, load_vocabulary


@pytest.mark.parametrize("label, name", [
    ("LHEE", "L_HEEL"), ("A22:RTOE", "R_TOE"), ("LASI", "L_ASIS"), ("RPSI", "R_PSIS"),
    ("L.TO", "L_TOE"), ("VSAC", "SACRUM"), ("LCAL", "L_HEEL"), ("RLMA", "R_ANKLE"),
    ("L_HEEL", "L_HEEL"), ("R_MT_1", "R_TOE"), ("L_MT_5", "L_MT5"), ("SACRUM", "SACRUM"),
    ("R.Heel", "R_HEEL"), ("L.Toe.Tip", "L_TOE"), ("V.Sacral", "SACRUM"), ("S2", "SACRUM"),
    ("R.Toe", "R_TOE"), ("TALG", "L_HEEL"), ("TALD", "R_HEEL"), ("EIASG", "L_ASIS"),
    ("MALLD", "R_ANKLE"), ("IS070607:LHEE", "L_HEEL"),
])
def test_known_labels(label, name):
    assert default_vocabulary().canonical(label) == name


def test_unknown_label():
    assert default_vocabulary().canonical("XYZ123") is None


def test_user_file_extends_and_wins(tmp_path):
    f = tmp_path / "lab.yaml"
    f.write_text('points:\n  "{S}_HEEL": ["{S}FERSE"]\npoints_unsided:\n  SACRUM: ["LUMB"]\n')
    v = load_vocabulary(f)
    assert v.canonical("LFERSE") == "L_HEEL" and v.canonical("LUMB") == "SACRUM"
    assert v.canonical("LHEE") == "L_HEEL"
