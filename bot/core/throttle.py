"""Throttles for reports and logs: at most `burst` in any `window` seconds; the rest are counted."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable


class Throttle:
    def __init__(self, burst: int, window: float, monotonic: Callable[[], float] = time.monotonic):
        self._burst = burst
        self._window = window
        self._monotonic = monotonic
        self._recent: deque[float] = deque()
        self._held_back = 0

    def allow(self) -> int | None:
        """None when this event must be held back; otherwise how many were held back before it."""
        now = self._monotonic()
        while self._recent and now - self._recent[0] >= self._window:
            self._recent.popleft()
        if len(self._recent) >= self._burst:
            self._held_back += 1
            return None
        self._recent.append(now)
        held_back, self._held_back = self._held_back, 0
        return held_back


class BurstLog:
    """Logs a recurring problem once per burst: the first time, then at most once a `window`, with
    how many times it happened in between. For faults that every update would otherwise repeat."""

    def __init__(self, logger: logging.Logger, window: float = 60.0):
        self._logger = logger
        self._window = window
        self._throttles: dict[str, Throttle] = {}

    def warning(self, key: str, message: str, *args: object) -> None:
        throttle = self._throttles.setdefault(key, Throttle(1, self._window))
        held_back = throttle.allow()
        if held_back is None:
            return
        suffix = f" ({held_back} more since the last report)" if held_back else ""
        self._logger.warning(message + suffix, *args)
