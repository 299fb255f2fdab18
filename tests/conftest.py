"""Test-wide settings.

In CI (CI=true) hypothesis runs derandomized: the same examples every run, so a red build is
reproducible and never a matter of luck. Developers keep random exploration locally.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
