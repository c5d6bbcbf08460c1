"""The tests' databases: SQLite files by default, or a real PostgreSQL server of the tests' own.

`python -m tests.support.database CMD...` creates a throwaway cluster (Debian's postgresql
package: `initdb`, `pg_ctl`), starts it on a socket in its folder and on 127.0.0.1 at a free port,
runs CMD with TEST_DATABASE_URL naming it, then stops it and removes the folder. As root, the
server runs as the `postgres` user (PostgreSQL refuses to run as root).

With TEST_DATABASE_URL set, every test's storage is a schema of its own in that database
(`database_for`), created empty, so the suite runs on PostgreSQL test for test as on SQLite.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import glob
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from tests.support.net import free_port

ENV = "TEST_DATABASE_URL"


def binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise SystemExit("PostgreSQL is not installed: apt-get install postgresql (see .ci/run)")
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start(folder: Path) -> tuple[str, list[str]]:
    """A new cluster in `folder`, started; its address and the command that stops it."""
    bin_dir = binaries()
    data = folder / "data"
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "bot",
                "--auth=trust",
                "--no-locale",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    port = free_port()
    # a test server: no fsync (the tests never outlive it), a few connections per test worker
    options = (
        f"-k {folder} -h 127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off -c max_connections=200"
    )
    subprocess.run(
        _as_server_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(folder / "log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    stop = _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
    return f"postgresql://bot@127.0.0.1:{port}/postgres", stop


def _run_aside(coroutine: object) -> None:
    """Run a coroutine to its end on a loop of its own (the caller may be inside a running loop)."""
    error: list[BaseException] = []

    def body() -> None:
        try:
            asyncio.run(coroutine)  # type: ignore[arg-type]
        except BaseException as exc:  # handed to the caller
            error.append(exc)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    if error:
        raise error[0]


def database_for(folder: Path) -> str | Path:
    """The database a test keeps in `folder`: a SQLite file there, or, with TEST_DATABASE_URL, a
    PostgreSQL schema named after the folder (the same folder gives the same schema: a test that
    opens its database again, as a restarted bot, finds its rows)."""
    base = os.environ.get(ENV)
    return schema_for(base, folder) if base else folder / "bot.sqlite3"


_own: list[str] = []  # the server this test process started, if it needed one


def postgres() -> str:
    """A PostgreSQL server's address, for a test that needs one on any run: TEST_DATABASE_URL's, or
    one this process starts (stopped when it exits)."""
    base = os.environ.get(ENV)
    if base:
        return base
    if not _own:
        folder = Path(tempfile.mkdtemp(prefix="bot-postgres-"))
        os.chmod(folder, 0o755)
        url, stop = start(folder)
        atexit.register(shutil.rmtree, folder, True)
        atexit.register(subprocess.run, stop, stdout=subprocess.DEVNULL, check=False)
        _own.append(url)
    return _own[0]


def schema_for(base: str, folder: Path) -> str:
    """The address of a schema of its own in the database at `base`, named after `folder`."""
    name = "t_" + hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:20]

    async def create() -> None:
        import asyncpg

        connection = await asyncpg.connect(base)
        try:
            await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
        finally:
            await connection.close()

    _run_aside(create())
    return f"{base}?search_path={name}"


def database_url_for(folder: Path) -> str | None:
    """The PostgreSQL address of the test's database (None: the test runs on SQLite)."""
    found = database_for(folder)
    return found if isinstance(found, str) else None


def main() -> int:
    if len(sys.argv) < 2:
        print("usage: python -m tests.support.database COMMAND [ARGS...]", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="bot-postgres-"))
    os.chmod(folder, 0o755)
    stop: list[str] = []
    try:
        url, stop = start(folder)
        print(f"PostgreSQL for the tests at {url}", flush=True)
        return subprocess.run(sys.argv[1:], env={**os.environ, ENV: url}).returncode
    finally:
        if stop:
            subprocess.run(stop, stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())


async def peek(folder: Path, sql: str) -> list[tuple[object, ...]]:
    """The rows of `sql` in the test's database, read from outside the bot, as an operator would."""
    target = database_for(folder)
    if isinstance(target, Path):
        with sqlite3.connect(target) as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]
    import asyncpg

    connection = await asyncpg.connect(target)
    try:
        return [tuple(record) for record in await connection.fetch(sql)]
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def write_lock(folder: Path) -> AsyncIterator[None]:
    """Another process holds the database's write lock (as a backup tool might): reads go on,
    writes wait (SQLite: an exclusive transaction; PostgreSQL: every table locked EXCLUSIVE, which
    lets plain reads through)."""
    target = database_for(folder)
    if isinstance(target, Path):
        other = sqlite3.connect(target, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import asyncpg

    connection = await asyncpg.connect(target)
    try:
        listed = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [row[0] for row in listed]
        async with connection.transaction():
            await connection.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
            yield
    finally:
        await connection.close()
