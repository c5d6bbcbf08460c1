"""The heartbeat file: what the running bot tells the operator's tools.

The bot rewrites it every few seconds from its event loop (so a stuck loop stops rewriting it) and
whenever its state changes: its pid, whether it has reached Telegram yet (and the last error if
not), and the outcome of the last catalogue reload. `python -m bot health` reads it for Docker's
HEALTHCHECK; `python -m bot reload` finds the pid in it, signals the bot and waits for the outcome.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EVERY = 5.0  # seconds between beats
STALE = 60.0  # a heartbeat older than this means the event loop is stuck or the bot is gone


@dataclass
class State:
    pid: int = field(default_factory=os.getpid)
    telegram: str = "connecting"  # "connecting" until the first successful contact, then "ok"
    error: str = ""  # why Telegram was not reached, while connecting
    reload_at: float = 0.0  # when the last catalogue reload finished (time.time())
    reload_ok: bool = True
    reload_detail: str = ""


class Heartbeat:
    def __init__(self, path: Path):
        self.path = path
        self.state = State()

    def update(self, **changes: Any) -> None:
        for name, value in changes.items():
            setattr(self.state, name, value)
        self.write()

    def write(self) -> None:
        """Atomically: a reader never sees half a file. On the event loop on purpose (it proves the
        loop is alive); the file is a few hundred bytes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(asdict(self.state), ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.path)

    async def run(self) -> None:
        while True:
            self.write()
            await asyncio.sleep(EVERY)


@dataclass(frozen=True)
class Reading:
    healthy: bool
    summary: str  # one line for the operator
    state: State | None


def read(path: Path) -> Reading:
    """What the heartbeat file says, judged."""
    try:
        age = time.time() - path.stat().st_mtime
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
        state = State(**{k: v for k, v in data.items() if k in State.__dataclass_fields__})
    except FileNotFoundError:
        return Reading(
            False, f"unhealthy: no heartbeat at {path} (is the bot running? check HEARTBEAT_PATH)", None
        )
    except (OSError, ValueError, TypeError) as exc:
        return Reading(False, f"unhealthy: cannot read the heartbeat at {path}: {exc}", None)
    if age > STALE:
        return Reading(False, f"unhealthy: the last heartbeat was {age:.0f} s ago", state)
    if state.telegram != "ok":
        reason = f" (last error: {state.error})" if state.error else ""
        return Reading(False, f"unhealthy: the bot has not reached Telegram yet{reason}", state)
    return Reading(True, f"healthy: heartbeat {age:.0f} s ago, pid {state.pid}", state)
