from __future__ import annotations

import pytest

from bot.keyboards import Callback, decode, encode


def test_round_trip() -> None:
    assert decode(encode("film", "cranes-are-flying")) == Callback("film", ("cranes-are-flying",))
    assert decode(encode("rnd")) == Callback("rnd")


@pytest.mark.parametrize(
    "data",
    [None, "", "rnd", "v0:rnd", "v2:rnd", "v1:", "v1:nope", "v1:rnd:extra", "v1:film", "v1:film:",
     "v1:film:UPPER", "v1:film:a b", "v1:lang:de", "v1:film:" + "a" * 80, "v1:film:x:y"],
)  # fmt: skip
def test_forged_or_stale_data_is_refused(data: str | None) -> None:
    assert decode(data) is None


def test_encode_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError):
        encode("film", "a" * 70)
