"""Questionnaire scoring from definition files in ``knowledge/questionnaires/*.yaml``.

Definitions hold items, answer options, scoring rule, missing-item rule, bands, MCID (with
source) and licence; the code here only applies them. Licensed instruments (ODI, RMDQ, STarT
Back, MOXFQ, FFI, PROMIS) ship no item wording: the clinician enters the item scores from the
paper form, or the wording is loaded from the clinic's licensed file with :func:`load_item_text`.

Modules: :mod:`.definitions` (loading, bands, MCIDs, item text), :mod:`.scoring` (one
administration), :mod:`.change` (repeated administrations against the MCID) and
:mod:`.case_values` (findings), :mod:`.promis` (PROMIS raw-to-T-score tables supplied by the
clinic). The public API is re-exported here.
"""

from groundup.exam.questionnaires.case_values import (
    CASE_KEYS,
    RANGES,
    case_questionnaire_findings,
    score_findings,
)
from groundup.exam.questionnaires.change import change, series_change
from groundup.exam.questionnaires.definitions import (
    QuestionnaireError,
    band,
    definition,
    instruments,
    load_item_text,
    mcid_for,
)
from groundup.exam.questionnaires.promis import load_t_table
from groundup.exam.questionnaires.scoring import Score, score, start_back_risk

__all__ = ["CASE_KEYS", "RANGES", "QuestionnaireError", "Score", "band",
           "case_questionnaire_findings", "change", "definition", "instruments", "load_item_text",
           "load_t_table", "mcid_for", "score", "score_findings", "series_change",
           "start_back_risk"]
