"""Statement checks: each statement of the paper as a function returning a :class:`~verifier.render.reports.Report`."""
