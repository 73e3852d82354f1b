"""Ground reaction forces from OpenSim GRF ``.mot`` files, and the foot each force acts on.

Forces are in newtons with the centre of pressure in metres, in OpenSim's Y-up lab frame. The
plate corners are unknown (``NaN``), so assigning a contact to a foot must rely on the centre
of pressure or on :func:`grf_body_hints`. :func:`read_trc_with_grf` reads a TRC
(:mod:`groundup.motion.trc`) with the force plates of its GRF file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from groundup.errors import RecordingError
from groundup.motion.mot import read_mot
from groundup.motion.trc import read_trc
from groundup.motion.trial import ForcePlate, Side, Trial
from groundup.motion.vocabulary import Vocabulary

COP_MIN_FORCE_N = 5.0
"""Below this force magnitude (N) the centre of pressure of a GRF is undefined (set to NaN)."""


@dataclass(kw_only=True)
class GrfForcePlate(ForcePlate):
    """A :class:`ForcePlate` from an OpenSim GRF file: corners unknown, vertical axis known.

    ``vertical_force`` is the component along ``vertical_axis`` (1 = Y in OpenSim), since the
    plate normal cannot be computed from unknown (``NaN``) corners.
    """

    vertical_axis: int = 1

    @property
    def vertical_force(self) -> np.ndarray:
        """Force along the lab vertical (newtons, positive when loaded)."""
        fz = self.force[:, self.vertical_axis].copy()
        if np.nanmax(fz) < -np.nanmin(fz):
            fz = -fz
        return fz


def grf_force_plates(df: pd.DataFrame, *, first_time_s: float | None = None,
                     cop_min_force_n: float = COP_MIN_FORCE_N) -> list[ForcePlate]:
    """Force plates from an OpenSim GRF table (see :func:`read_mot`).

    Force groups are found by their shared column prefix: ``<p>vx, <p>vy, <p>vz`` (force, N),
    ``<p>px, <p>py, <p>pz`` (centre of pressure, m) and the torque with ``force`` replaced by
    ``torque`` (``ground_torque_x``, ``1_ground_torque_x``, ``ground_torque_r_x``; N m).

    Parameters
    ----------
    df
        The GRF table, with a ``time`` column in seconds.
    first_time_s
        Time of the first sample on the trial's axis; the table's first ``time`` by default.
    cop_min_force_n
        The centre of pressure is set to ``NaN`` where the force magnitude is below this (N).

    Returns
    -------
    list of ForcePlate
        :class:`GrfForcePlate` objects named by the prefix without its trailing ``_``
        (``"ground_force"``, ``"1_ground_force"``, ``"ground_force_r"``), in the file's Y-up
        frame, ``rate`` from the time column (Hz), ``corners`` and ``origin`` all ``NaN``.
        Empty when the table holds no force columns.

    Raises
    ------
    RecordingError
        When the time column is too short or not evenly spaced.
    """
    cols = list(df.columns)
    bases = [c[:-2] for c in cols if c.endswith("vx") and "force" in c.lower()
             and {c[:-2] + "vy", c[:-2] + "vz"} <= set(cols)]
    if not bases:
        return []
    t = df["time"].to_numpy(float)
    if len(t) < 2 or not t[-1] > t[0]:
        raise RecordingError("GRF table: the time column needs at least two increasing values")
    rate = (len(t) - 1) / (t[-1] - t[0])
    if np.max(np.abs(t - (t[0] + np.arange(len(t)) / rate))) > 0.5 / rate:
        raise RecordingError(f"GRF table: the time column is not evenly spaced (~{rate:.4g} Hz)")
    n = len(t)
    plates: list[ForcePlate] = []
    for base in bases:
        force = df[[base + a for a in ("vx", "vy", "vz")]].to_numpy(float)
        cop_cols = [base + a for a in ("px", "py", "pz")]
        cop = df[cop_cols].to_numpy(float) if set(cop_cols) <= set(cols) else np.full((n, 3),
                                                                                      np.nan)
        cop[~(np.linalg.norm(force, axis=1) >= cop_min_force_n)] = np.nan
        moment = None
        for word in ("torque", "moment"):
            m_cols = [base.replace("force", word) + a for a in "xyz"]
            if set(m_cols) <= set(cols):
                moment = df[m_cols].to_numpy(float)
                break
        plates.append(GrfForcePlate(
            name=base.rstrip("_"), rate=rate, force=force, cop=cop,
            corners=np.full((4, 3), np.nan), origin=np.full(3, np.nan), moment=moment,
            first_time_s=float(t[0] if first_time_s is None else first_time_s)))
    return plates


def grf_side_hint(name: str) -> Side | None:
    """The foot a GRF group or body name points to (``"ground_force_r"``, ``"calcn_l"``).

    Returns ``"left"``/``"right"``, or ``None`` when the name does not say (``"1_ground_force"``).
    """
    tokens = set(re.split(r"[^a-z0-9]+", name.lower()))
    right, left = bool(tokens & {"r", "right"}), bool(tokens & {"l", "left"})
    return "right" if right and not left else "left" if left and not right else None


def grf_body_hints(xml_path: str | Path) -> dict[str, Side]:
    """Which foot each force group of an OpenSim ExternalLoads ``.xml`` is applied to.

    Parameters
    ----------
    xml_path
        The ExternalLoads file (e.g. ``subject01_walk1_grf.xml``).

    Returns
    -------
    dict
        Group prefix as in :func:`grf_force_plates` names (``force_identifier`` without its
        trailing ``v``/``_``) -> ``"left"``/``"right"``, from ``applied_to_body`` (``calcn_r``)
        or, failing that, the ExternalForce's name.

    Raises
    ------
    RecordingError
        When the file is missing or not XML.
    """
    path = Path(xml_path)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise RecordingError(f"{path.name}: cannot read ExternalLoads XML ({exc})") from None
    hints: dict[str, Side] = {}
    for ef in root.iter("ExternalForce"):
        ident = (ef.findtext("force_identifier") or "").strip()
        side = grf_side_hint((ef.findtext("applied_to_body") or "").strip()) or \
            grf_side_hint(ef.get("name", ""))
        if ident and side:
            hints[ident.removesuffix("v").rstrip("_")] = side
    return hints


def _find_grf(trc: Path) -> Path | None:
    """The sibling GRF file of a TRC: ``<stem>_grf.mot``, ``grf_<stem>.mot`` or a name match."""
    stem, best, best_len = trc.stem, None, -1
    for p in sorted(trc.parent.glob("*_grf.mot")) + sorted(trc.parent.glob("grf_*.mot")):
        core = p.stem[:-4] if p.stem.endswith("_grf") else p.stem[4:]
        if (stem == core or stem.endswith("_" + core) or core.endswith("_" + stem)) \
                and len(core) > best_len:
            best, best_len = p, len(core)
    return best


def read_trc_with_grf(trc_path: str | Path, grf_path: str | Path | None = None, *,
                      vocabulary: Vocabulary | None = None) -> Trial:
    """Read a TRC and attach the force plates of its GRF ``.mot``.

    Parameters
    ----------
    trc_path
        The ``.trc`` file.
    grf_path
        The GRF ``.mot``; by default a sibling ``<stem>_grf.mot``/``grf_<stem>.mot`` or one
        whose name ends the TRC's (``grf_walk.mot`` for ``motion_capture_walk.trc``).
    vocabulary
        Marker vocabulary; the shipped one by default.

    Returns
    -------
    Trial
        As :func:`read_trc`, with ``force_plates`` (times from the ``.mot`` time column),
        ``metadata["grf_path"]`` and ``metadata["force_plate_sides"]`` (plate name ->
        ``"left"``/``"right"`` from the names and a sibling ExternalLoads ``.xml``).
    """
    trial = read_trc(trc_path, vocabulary=vocabulary)
    warnings = trial.metadata["warnings"]
    grf = Path(grf_path) if grf_path is not None else _find_grf(Path(trc_path))
    if grf is None:
        warnings.append("no GRF .mot found beside the TRC: no force plates")
        return trial
    df = read_mot(grf)
    warnings.extend(f"{grf.name}: {w}" for w in df.attrs["warnings"])
    trial.force_plates = grf_force_plates(df)
    if not trial.force_plates:
        warnings.append(f"{grf.name}: no force columns (<prefix>vx/vy/vz): no force plates")
    names = {p.name for p in trial.force_plates}
    sides = {n: s for n in names if (s := grf_side_hint(n))}
    xml = grf.with_suffix(".xml")
    if xml.is_file():
        sides.update({k: v for k, v in grf_body_hints(xml).items() if k in names})
    trial.metadata.update({"grf_path": str(grf), "force_plate_sides": sides})
    t = trial.time
    if trial.force_plates and len(t) and not (df["time"].iloc[0] <= t[-1]
                                               and df["time"].iloc[-1] >= t[0]):
        warnings.append(f"{grf.name}: GRF time range does not overlap the markers'")
    return trial
