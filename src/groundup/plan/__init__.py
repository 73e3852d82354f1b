"""Care plans from an :class:`~groundup.reasoning.Assessment` and the findings.

Each item uses the plan-item vocabulary of ../shared/cases and carries its reason and source
(``groundup/knowledge/reasoning/plan_rules.yaml``). Decision support only.
"""

from groundup.plan.care_plan import CarePlan, PlanItem, care_plan

__all__ = ["CarePlan", "PlanItem", "care_plan"]
