"""Map marker labels from any lab's marker set to groundup's canonical point names.

The mapping is data (``data/markers.yaml``); users add their own file with the same format.
Labels are matched case-insensitively after stripping a subject prefix (``A22:LHEE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from groundup.errors import GroundupError


def strip_prefix(label: str) -> str:
    """Remove a Vicon/Nexus subject prefix (``"A22:LHEE"`` -> ``"LHEE"``) and whitespace."""
    return label.rsplit(":", 1)[-1].strip()


@dataclass(frozen=True)
class Vocabulary:
    """A label -> canonical-name lookup.

    Parameters
    ----------
    aliases
        Upper-cased file label -> canonical name.
    model_outputs
        Side-less names of model outputs (``"KneeAngles"``) recognised as such.
    """

    aliases: dict[str, str]
    model_outputs: tuple[str, ...]

    def canonical(self, label: str) -> str | None:
        """Canonical name of a file label, or ``None`` when the label is unknown."""
        return self.aliases.get(strip_prefix(label).upper())

    def is_model_output(self, label: str) -> bool:
        """Whether a label is a model output such as ``LKneeAngles``."""
        name = strip_prefix(label)
        return len(name) > 1 and name[0] in "LR" and name[1:] in self.model_outputs

    def merged_with(self, other: Vocabulary) -> Vocabulary:
        """A vocabulary in which ``other``'s entries take precedence."""
        return Vocabulary({**self.aliases, **other.aliases},
                          tuple(dict.fromkeys(self.model_outputs + other.model_outputs)))


def _parse(doc: dict, origin: str) -> Vocabulary:
    if not isinstance(doc, dict) or "points" not in doc:
        raise GroundupError(f"marker vocabulary {origin} has no 'points' section",
                            hint="see groundup/motion/data/markers.yaml for the format")
    sides = doc.get("sides", {"L": {"S": "L", "F": "G"}, "R": {"S": "R", "F": "D"}})
    aliases: dict[str, str] = {}
    for template, labels in doc.get("points", {}).items():
        for subs in sides.values():
            name = template.format(**subs)
            for label in labels:
                aliases.setdefault(label.format(**subs).upper(), name)
    for name, labels in (doc.get("points_unsided") or {}).items():
        for label in labels:
            aliases.setdefault(label.upper(), name)
    return Vocabulary(aliases, tuple(doc.get("model_outputs", ())))


@lru_cache(maxsize=1)
def default_vocabulary() -> Vocabulary:
    """The vocabulary shipped with groundup."""
    text = resources.files("groundup.motion").joinpath("data/markers.yaml").read_text()
    return _parse(yaml.safe_load(text), "markers.yaml")


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The default vocabulary, extended by a user's file whose entries win.

    Parameters
    ----------
    path
        A YAML file in the format of ``data/markers.yaml``, or ``None``.
    """
    base = default_vocabulary()
    if path is None:
        return base
    try:
        doc = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise GroundupError(f"cannot read marker vocabulary {path}: {exc}") from None
    return base.merged_with(_parse(doc, str(path)))
