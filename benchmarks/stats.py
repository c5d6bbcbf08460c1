"""The one percentile every benchmark reports."""

from __future__ import annotations

import math


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` fall (nearest rank); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
