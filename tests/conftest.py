"""Shared test configuration: hypothesis profiles.

``ci`` (selected when the environment variable CI is set, and by default): derandomized, no deadline,
bounded examples, so the suite is reproducible and stays fast. ``deep``: many more examples, for users
who want a long run: ``HYPOTHESIS_PROFILE=deep pytest``.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=30, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", deadline=None, max_examples=30,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("deep", deadline=None, max_examples=2000,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
