"""A synthetic walking trial built from the normative angle curves — for tests and demos.

:func:`.walk.synthetic_walk` assembles the trial (markers, events, force plates, true
values); :mod:`.legs` moves the legs through the gait cycle; :mod:`.body` is the segment and
foot model.

Sagittal stick model per leg (Winter 2009: thigh 0.245 H, shank 0.246 H, foot 0.152 H, ankle
height 0.039 H), legs half a cycle apart, Plug-in-Gait markers under canonical names, metres,
``z`` up, ``x`` = walking direction, ``y`` = left. The pelvis moves forward at exactly the
requested speed, with tilt and obliquity from the norm curves. In stance the foot is *planted*
(heel rocker, foot flat, heel rise about the MTP joint, toe roll about the toe tip) and the pelvis
height makes the stance knee follow the normative knee curve; in swing the foot hangs from the
hip on the normative hip/knee/ankle chain, corrected smoothly to leave where stance ended and to
land on the next footprint, with extra flexion/dorsiflexion where toe clearance needs it. Knees
come from two-link inverse kinematics. Events are exact by construction: IC = the heel touches
the floor, FO = the toe tip leaves it. Joint angles are therefore *emergent*, not the norm
curves: walking symmetrically they stay within 4-6 deg RMS of them, with the largest departures
where the constraints bite (knee up to ~16 deg more flexed in terminal swing as the heel is
lowered onto the floor, ankle ~10 deg more dorsiflexed in mid-stance with the foot flat).
Zeni (2008) and O'Connor (2007) detectors find the events within ~1.5 frames at 100 Hz.
"""
