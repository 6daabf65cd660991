"""The portal's production settings, as the environment gives them, plus what only the benchmark needs.

`make bench` runs gunicorn, the Celery worker and its own in-process measurements with this module, so
that the three see the same configuration: DEBUG off and every other knob from the environment
(bench/run.py sets them), the trivial view's URL, and a static root in the run's temporary directory.
"""

from kehila.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# collectstatic writes into the run's temporary directory (KEHILA_VAR_DIR), never into the checkout.
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
