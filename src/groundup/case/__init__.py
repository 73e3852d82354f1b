"""One assessment end to end: a case file in, every result and report out.

:func:`~groundup.case.run.run_case` reads the case (:mod:`groundup.case.format`), analyses its
recordings, turns everything into findings, runs the reasoning and the care plan, and writes the
reports and the FHIR bundle (:class:`~groundup.case.result.CaseResult`).
"""
