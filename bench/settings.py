"""The production settings plus one bare view, so the benchmarks compare like with like."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
