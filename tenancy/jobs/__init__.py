"""Background work: the job queue and the worker that runs it."""
