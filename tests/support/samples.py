"""Small made-up inputs the tests share: a minimal catalogue film, a ZIP of files."""

from __future__ import annotations

import io
import zipfile


def a_film(**fields: object) -> dict[str, object]:
    """The least a visible catalogue film needs, as YAML would give it, with `fields` changed."""
    base: dict[str, object] = {
        "id": "a-film",
        "title": "A Film",
        "original_title": "Фильм",
        "year": 1960,
        "directors": [{"en": "Someone", "ru": "Некто"}],
        "description": {"en": "Two sentences. In English.", "ru": "Два предложения. По-русски."},
        "sources": {"example": "https://example.org/a"},
        "cited": {"credits": ["example"], "description": ["example"]},
        "talk": {"en": ["Why?", "How?", "What then?"], "ru": ["Почему?", "Как?", "А что потом?"]},
    }
    base.update(fields)
    return base


def zip_of(files: dict[str, str] | dict[str, bytes]) -> bytes:
    """A ZIP archive holding `files` (name -> content), as Letterboxd's export is."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
