from __future__ import annotations

import logging

import pytest

from bot.logs import REDACTED, RedactingFilter

SECRET = "110201543:test-token-for-the-loopback-bot"


def test_token_is_redacted_from_messages_args_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction")
    caplog.handler.addFilter(RedactingFilter([SECRET]))
    logger.warning("calling https://api.telegram.org/bot%s/getMe", SECRET)
    try:
        raise RuntimeError(f"The token `{SECRET}` was rejected by the server.")
    except RuntimeError:
        logger.exception("failed")
    assert SECRET not in caplog.text
    assert caplog.text.count(REDACTED) >= 2
