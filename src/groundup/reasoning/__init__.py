"""Clinical reasoning: findings in, :class:`Assessment` out.

Ranked conditions with calibrated probabilities (likelihood ratios on stated priors), the
direction of the foot-back link, red flags (which always win), explanations with sources, and the
next test by expected information gain. The knowledge lives in
``groundup/knowledge/reasoning/*.yaml``; see ``docs/reasoning.md``.

This software supports, and does not replace, a clinician's judgement.
"""

from groundup.reasoning.assessment import Assessment, assess

__all__ = ["Assessment", "assess"]
