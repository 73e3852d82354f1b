"""Video → keypoints: reading phone videos, pose estimation, subject selection, overlays.

The modules here turn a video file into a raw keypoint table (see :mod:`.keypoints`); cleaning,
view detection, scaling and the conversion to a :class:`~groundup.motion.trial.Trial` live beside
them. Only ``motion/`` knows that the data came from a video.
"""
