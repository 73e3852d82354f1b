"""DICOM import with pydicom: pixel data for display, pixel spacing, non-identifying metadata.

Patient identifiers are never read into the result, never logged and never put in an error
message (errors name the file by its base name only). Non-image DICOM objects (structured reports,
presentation states...), malformed files and files above ``max_bytes`` are rejected with a
:class:`DicomError` that says what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pydicom
from pydicom.errors import InvalidDicomError

from groundup.errors import GroundupError

#: default upper limit on file size; a radiograph is typically 5-50 MB
MAX_DICOM_BYTES = 512 * 1024 * 1024
#: at most this many pixels per frame are decoded (guards against absurd headers)
MAX_PIXELS = 20_000 * 20_000

#: the only header fields copied into :attr:`DicomImage.metadata` (none identifies the patient)
SAFE_TAGS = ("Modality", "BodyPartExamined", "ViewPosition", "Laterality", "ImageLaterality",
             "PhotometricInterpretation", "BitsStored", "Rows", "Columns", "NumberOfFrames",
             "SOPClassUID", "Manufacturer", "EstimatedRadiographicMagnificationFactor")


class DicomError(GroundupError):
    """A DICOM file cannot be used as an image."""


@dataclass(frozen=True)
class DicomImage:
    """One DICOM image.

    Attributes
    ----------
    pixels
        2-D array (rows x columns) of the first frame, rescaled (slope/intercept) to float.
    spacing_mm
        ``(row_spacing, column_spacing)`` in mm per pixel, or ``None`` when the header has none.
    spacing_source
        Header attribute the spacing came from: ``"PixelSpacing"`` (patient plane) or
        ``"ImagerPixelSpacing"`` (detector plane: includes the radiographic magnification, so
        distances are overestimated by that factor unless corrected), or ``None``.
    frames
        Number of frames in the file.
    metadata
        Non-identifying header fields (:data:`SAFE_TAGS`).
    """

    pixels: np.ndarray
    spacing_mm: tuple[float, float] | None
    spacing_source: str | None
    frames: int = 1
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        """``(rows, columns)``."""
        return self.pixels.shape  # type: ignore[return-value]


def _spacing(ds) -> tuple[tuple[float, float] | None, str | None]:
    for attr in ("PixelSpacing", "ImagerPixelSpacing"):
        value = ds.get(attr)
        if value is None:
            continue
        try:
            row, col = (float(v) for v in value)
        except (TypeError, ValueError):
            raise DicomError(f"{attr} in the header is malformed ({len(value)} values)") from None
        if not (row > 0 and col > 0 and row < 10 and col < 10):
            raise DicomError(f"{attr} {row}/{col} mm per pixel is not plausible",
                             hint="expected a positive spacing below 10 mm")
        return (row, col), attr
    return None, None


def read_dicom(path: str | Path, *, max_bytes: int = MAX_DICOM_BYTES) -> DicomImage:
    """Read a DICOM image file.

    Parameters
    ----------
    path
        The ``.dcm`` file.
    max_bytes
        Refuse files larger than this (bytes) before reading them.

    Raises
    ------
    DicomError
        Missing file, file too large, not DICOM, no pixel data (not an image), undecodable or
        truncated pixel data, or an implausible pixel spacing.
    """
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DicomError(f"cannot open {name}: {exc.strerror}") from exc
    if size > max_bytes:
        raise DicomError(f"{name} is {size / 1e6:.0f} MB, above the {max_bytes / 1e6:.0f} MB "
                         "limit", hint="export a single image, or raise max_bytes")
    try:
        ds = pydicom.dcmread(path)
    except InvalidDicomError as exc:
        raise DicomError(f"{name} is not a DICOM file",
                         hint="export the image from the PACS as DICOM (.dcm)") from exc
    except Exception as exc:  # noqa: BLE001 - pydicom raises many types for corrupt files
        raise DicomError(f"{name} is a malformed DICOM file ({type(exc).__name__})") from exc
    if "PixelData" not in ds:
        if "Modality" not in ds and "SOPClassUID" not in ds:
            raise DicomError(f"{name} is a malformed DICOM file (no image, no modality)")
        kind = ds.get("Modality", "unknown modality")
        raise DicomError(f"{name} holds no image (a DICOM {kind} object without pixel data)",
                         hint="choose the image series, not a report or structured document")
    rows, cols = int(ds.get("Rows", 0)), int(ds.get("Columns", 0))
    if rows * cols == 0 or rows * cols > MAX_PIXELS:
        raise DicomError(f"{name} declares an image of {rows} x {cols} pixels; cannot decode it")
    try:
        arr = ds.pixel_array
    except Exception as exc:  # noqa: BLE001 - missing codec, truncated data, bad header
        raise DicomError(f"{name}: pixel data cannot be decoded ({type(exc).__name__})",
                         hint="the file may be truncated or use a compression without a "
                              "decoder installed") from exc
    frames = int(ds.get("NumberOfFrames", 1) or 1)
    if frames > 1 and arr.ndim >= 3:
        arr = arr[0]
    if arr.ndim == 3:  # colour (rows, cols, samples): display luminance
        arr = arr[..., :3].mean(axis=-1)
    pixels = arr.astype(np.float64) * float(ds.get("RescaleSlope", 1) or 1) \
        + float(ds.get("RescaleIntercept", 0) or 0)
    spacing, source = _spacing(ds)
    meta = {t: _plain(ds.get(t)) for t in SAFE_TAGS if t in ds}
    return DicomImage(pixels=pixels, spacing_mm=spacing, spacing_source=source, frames=frames,
                      metadata=meta)


def _plain(value: Any) -> Any:
    if isinstance(value, int | float | str):
        return value
    try:
        return [float(v) for v in value]
    except TypeError:
        return str(value)


def display_window(pixels: np.ndarray, *, low_pct: float = 1.0, high_pct: float = 99.0
                   ) -> np.ndarray:
    """8-bit display image: percentile window ``low_pct..high_pct`` mapped to 0..255."""
    lo, hi = np.percentile(pixels, [low_pct, high_pct])
    if hi <= lo:
        return np.zeros(pixels.shape, dtype=np.uint8)
    return (np.clip((pixels - lo) / (hi - lo), 0, 1) * 255).astype(np.uint8)
