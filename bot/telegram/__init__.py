"""Everything that imports python-telegram-bot: the composition root, the typed context, the
sender, button data, the HTTP client and the handlers."""

import os

# Opt into PTB's coming behaviour (RetryAfter.retry_after and other durations as timedelta) now,
# rather than silencing its deprecation warning; bot/telegram/sender.py reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")
