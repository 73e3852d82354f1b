"""Imaging: DICOM import, landmark measurements, structured radiology findings."""
