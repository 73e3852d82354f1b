"""From a :class:`~groundup.motion.trial.Trial` to a :class:`~groundup.gait.result.GaitResult`."""
