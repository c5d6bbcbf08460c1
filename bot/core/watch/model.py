"""What checking a watch link found, and when it last passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum


class LinkStatus(Enum):
    """What checking a watch link found."""

    OK = "ok"
    GONE = "gone"  # removed, private or blocked: the provider says there is no such video
    WRONG_CHANNEL = "wrong-channel"  # the video exists but is not the official channel's
    WRONG_TITLE = "wrong-title"  # it is the channel's, but its title does not name the film
    UNREACHABLE = "unreachable"  # no verdict: a timeout, a network error, or an answer that made no sense

    @property
    def dead(self) -> bool:
        return self not in (LinkStatus.OK, LinkStatus.UNREACHABLE)


@dataclass(frozen=True)
class LinkCheck:
    """The latest check of one link, and when the link last passed one (`verified_at`). A check that
    could not reach the provider keeps the last pass; a dead verdict hides the link at once."""

    url: str
    status: LinkStatus
    detail: str
    checked_at: datetime
    verified_at: datetime | None

    def shown(self, now: datetime, max_age: timedelta) -> bool:
        return not self.status.dead and self.verified_at is not None and now - self.verified_at <= max_age
