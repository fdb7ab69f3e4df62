"""Statement checks: each statement of the paper as a function returning a
:class:`~verifier.render.reports.Report`: :mod:`.theorem1`, :mod:`.theorem2`, :mod:`.corollary1` (with the
certified Eckart-Young distance of :mod:`.approximation`), the exceptional set (:mod:`.exceptional`), the
parameter counts (:mod:`.params`), the published tables (:mod:`.tables`) and the list of checks that
``verifier prove`` runs (:mod:`.prove`).
"""
