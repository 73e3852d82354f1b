"""Gait events: force-plate contacts and kinematic detectors, cross-checked."""
