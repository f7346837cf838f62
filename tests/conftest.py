"""Shared test set-up: Qt offscreen, no sound card, hypothesis profiles."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# There is no sound card here: QtMultimedia's own chatter is silenced; the voice tests check which prompt
# the pad asked its player for (guide/style.md "Tests").
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.multimedia.ffmpeg*=false")

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True, max_examples=200
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# tests.helpers.browser: `browser` (Debian's chromium through Playwright) and `phone`, for the page tests.
pytest_plugins = ["tests.helpers.fixtures", "tests.helpers.browser"]
