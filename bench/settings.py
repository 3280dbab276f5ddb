"""The production settings plus one bare view, so the benchmarks compare like with like."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

ROOT_URLCONF = "bench.urls"
# Pages render without a collectstatic run first; the file names are all that changes.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
