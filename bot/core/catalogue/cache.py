"""The last catalogue that passed every check, remembered beside the database, so that a restart
with the same file and the same bot does not parse and check it again.

Parsing the YAML and running the checks (fields, people, links, card sizes, which loads the card
texts) took about a tenth of the bot's start-up; reading the remembered copy takes a few ms. The
copy is keyed by the catalogue's bytes and by what checked them: this package's files (their sizes
and modification times, as Python's own bytecode cache does), pydantic's and PyYAML's (their first
file, which a new release replaces) and Python's version. Any change is a miss, and the file is
checked in full again. A copy that cannot be read or written is no more than a miss: the catalogue
is then checked as if there were none.

The file is the bot's own, in its data directory (pickle: whoever can write there can change the
database too); deleting it is always safe. `python -m bot check` never uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import os
import pickle
import sys
from functools import cache
from pathlib import Path

from bot.core.catalogue.model import Catalogue

log = logging.getLogger(__name__)

_MAGIC = b"soviet-film-bot catalogue v1\n"
_PACKAGE = Path(__file__).resolve().parent.parent  # bot/
_CHECKED_FILES = (".py", ".yaml", ".txt")  # the checks' code, the card texts, the content-farm list
_LIBRARIES = ("pydantic", "pydantic_core", "yaml")  # what the checks run on (PyYAML is not imported here)


@cache
def _checker_stamp() -> bytes:
    """What the checks are made of, as it is on disk now (read once per process): the bot's files,
    the libraries' (by their first file), Python's version."""
    digest = hashlib.sha256(sys.version.encode() + code_stamp(_PACKAGE))
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        stat = os.stat(origin) if origin else None
        digest.update(f"{name}:{origin}:{stat and stat.st_size}:{stat and stat.st_mtime_ns}\n".encode())
    return digest.digest()


def code_stamp(package: Path) -> bytes:
    """The package's files (sources, texts, lists; not bytecode) by name, size and modification time."""
    digest = hashlib.sha256()
    for folder, subfolders, files in os.walk(package):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(_CHECKED_FILES):
                where = os.path.join(folder, name)
                stat = os.stat(where)
                line = f"{os.path.relpath(where, package)}:{stat.st_size}:{stat.st_mtime_ns}\n"
                digest.update(line.encode())
    return digest.digest()


def key_of(content: bytes) -> bytes:
    """The key of a catalogue file's bytes as this bot checks them."""
    return hashlib.sha256(_checker_stamp() + content).digest()


def recall(path: Path, key: bytes) -> Catalogue | None:
    """The catalogue remembered under `key`, or None (no copy, another key, a damaged copy)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = _MAGIC + key
    if not data.startswith(head):
        return None
    try:
        catalogue = pickle.loads(data[len(head) :])
    except Exception:  # a damaged or foreign copy is only a miss
        log.warning("the remembered catalogue %s could not be read; checking the file again", path)
        return None
    return catalogue if isinstance(catalogue, Catalogue) else None


def remember(path: Path, key: bytes, catalogue: Catalogue) -> None:
    """Keep `catalogue` (which passed every check) under `key`; best effort, never half-written."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(_MAGIC + key + pickle.dumps(catalogue, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)
    except OSError as exc:
        log.info("could not keep the checked catalogue in %s (%s); it is checked at every start", path, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
