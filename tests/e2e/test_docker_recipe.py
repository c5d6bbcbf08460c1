"""The Dockerfile's steps, performed in a fresh virtual environment (no Docker engine runs here).

COPY copies the same files, RUN runs the same pip commands, ENV sets the same variables; then the
image's CMD starts the bot against the Bot API test server and its HEALTHCHECK must pass. A broken
recipe (a file not copied, a dependency missing from the lock) fails here.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import signal
import sys
from pathlib import Path

import pytest

from tests.support.botapi import BotAPIServer, User

ROOT = Path(__file__).resolve().parents[2]
# The user, the volume's folder and its ownership: the image's root sets them up, not this test.
SYSTEM_ONLY = ("groupadd ", "useradd ", "mkdir -p /app/data && chown ")


def instructions() -> list[tuple[str, str]]:
    lines: list[str] = []
    for raw in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            continue
        if lines and lines[-1].endswith("\\"):
            lines[-1] = lines[-1][:-1] + " " + raw.strip()
        else:
            lines.append(raw.strip())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def command(args: str) -> list[str]:
    return list(json.loads(args)) if args.startswith("[") else shlex.split(args)


async def run(*argv: str, cwd: Path, env: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        *argv, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await process.communicate()
    assert process.returncode == 0, f"{' '.join(argv)} failed:\n{out.decode()[-3000:]}"


@pytest.mark.slow
async def test_the_image_recipe_installs_and_runs_the_bot(botapi: BotAPIServer, tmp_path: Path) -> None:
    app, venv = tmp_path / "app", tmp_path / "venv"
    app.mkdir()
    await run(sys.executable, "-m", "venv", str(venv), cwd=tmp_path, env=dict(os.environ))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    steps = instructions()
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11-slim")
    healthcheck, cmd = [], []
    for instruction, args in steps[1:]:
        if instruction == "ENV":
            args = args.replace("/app/", f"{app}/")  # the image's absolute paths, inside our stand-in
            for pair in shlex.split(args):
                key, _, value = pair.partition("=")
                env[key] = value
        elif instruction == "COPY":
            *sources, destination = shlex.split(args)
            for source in sources:
                target = app / destination / (Path(source).name if destination.endswith("/") else "")
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, app / destination, dirs_exist_ok=True)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, target)
        elif instruction == "RUN":
            if args.startswith(SYSTEM_ONLY):
                continue
            for step in args.split("&&"):
                argv = command(step.strip())
                if argv[:2] == ["rm", "-rf"]:
                    for pattern in argv[2:]:
                        for found in app.glob(pattern.removeprefix("./")):
                            shutil.rmtree(found)
                    continue
                assert argv[0] == "pip", f"unexpected RUN step: {step}"
                # pip's download cache changes nothing that gets installed; it keeps this test quick
                cached = {k: v for k, v in env.items() if k != "PIP_NO_CACHE_DIR"}
                await run(str(venv / "bin" / "python"), "-m", *argv, cwd=app, env=cached)
        elif instruction == "HEALTHCHECK":
            healthcheck = command(args.split("CMD", 1)[1].strip())
            # healthy within seconds of the first poll, not after the 30 s interval (Docker 25+)
            assert "--start-interval=2s" in args.split("CMD", 1)[0]
        elif instruction == "CMD":
            cmd = command(args)
    assert cmd == ["python", "-m", "bot"] and healthcheck == ["python", "-m", "bot", "health"]
    assert not (app / "tests").exists() and not (app / ".env").exists()
    assert not (app / "build").exists() and not list(app.glob("*.egg-info")), "build leftovers in the image"
    # What runs is the installed package, byte-compiled by pip: a source copy left in /app would
    # shadow it and (not writable by the bot's user) be compiled again at every start.
    assert not (app / "bot").exists(), "a source copy of the bot shadows the installed one"
    installed = list((venv / "lib").glob("python3*/site-packages/bot/telegram/__pycache__/app.*.pyc"))
    assert installed, "the installed bot is not byte-compiled"

    env.update(BOT_TOKEN=botapi.token, BOT_API_BASE_URL=botapi.base_url)
    bot = await asyncio.create_subprocess_exec(
        *cmd, cwd=app, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        reply = await botapi.reply_to(User(8, "Docker", "en"), "/film Летят журавли", timeout=60)
        assert "The Cranes Are Flying" in reply.text
        await run(*healthcheck, cwd=app, env=env)
        assert (app / "data" / "bot.sqlite3").exists()  # the volume's database
    finally:
        bot.send_signal(signal.SIGTERM)
        await botapi.release_polling()
        assert await asyncio.wait_for(bot.wait(), 20) == 0
