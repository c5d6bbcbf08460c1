"""The search index shared by /film, /add and inline mode.

Every text is folded into one Latin "skeleton" space (Cyrillic transliterated, case, accents, ё/е and
the usual transliteration variants folded), so «Ирония судьбы», "ironiya sudby" and "ironia sudbi"
meet. The index is built once per catalogue: an inverted index of tokens, a sorted vocabulary for
prefixes and a trigram index for typos; rapidfuzz scores only the candidates it yields.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from bot.catalogue import Film

MAX_QUERY_TOKENS = 12
MAX_QUERY_CHARS = 256
_FUZZY_CANDIDATES = 40
_PREFIX_EXPANSION = 64
_RERANK = 30
_MIN_SCORE = 0.15  # low enough for a single word of a description
_CACHED_QUERIES = 4096

# Field weights: a title hit counts most, a word of the description least.
_TITLE, _ALIAS, _DIRECTOR, _CAST, _YEAR, _DESCRIPTION = 1.0, 0.95, 0.85, 0.75, 0.7, 0.3

_VARIANTS = [
    (re.compile(r"shch"), "sch"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"tz"), "ts"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"yo|jo"), "e"),
    (re.compile(r"ye|je"), "e"),
    (re.compile(r"[jy]"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_APOSTROPHES = str.maketrans("", "", "'’`ʼ\"«»")


def fold(text: str) -> str:
    """Text -> space-separated Latin skeleton tokens (see the module docstring)."""
    text = "".join(c for c in text[: MAX_QUERY_CHARS * 4] if unicodedata.category(c) not in {"Cf", "Cc"})
    text = text.casefold().replace("ё", "е").replace("ъ", "").replace("ь", "")
    text = anyascii(text).lower().translate(_APOSTROPHES)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_fold_word(w) for w in words)


def _fold_word(word: str) -> str:
    if word.isdigit():
        return word
    for pattern, replacement in _VARIANTS:
        word = pattern.sub(replacement, word)
    return word


# Words too common in descriptions to mean anything, English and Russian, in folded form.
_DESCRIPTION_STOP_WORDS = frozenset(
    fold(
        "the and for but his her him she they their them with from into onto who whom whose that this "
        "than then when while what which where was were are has had have not all one two its our out "
        "how why own off too very can will just only even ever also each over under once more most "
        "как что для его она они это так все еще уже или чем где кто чтобы тот эта этот при без над "
        "под через после между самый свой своя свою своё который которая которые него неё них ему ней"
    ).split()
)


def _trigrams(token: str) -> set[str]:
    padded = f" {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Match:
    film: Film
    score: float


class Verdict(Enum):
    ONE = "one"
    SEVERAL = "several"
    NONE = "none"


@dataclass(frozen=True)
class Found:
    verdict: Verdict
    films: tuple[Film, ...]


class SearchIndex:
    def __init__(self, films: Sequence[Film]):
        self.films: tuple[Film, ...] = tuple(films)
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._names: list[tuple[str, ...]] = []
        self._sort_keys: list[tuple[str, str]] = [f.sort_key for f in self.films]
        for index, film in enumerate(self.films):
            names = (film.title, film.original_title or "", *film.aliases)
            self._names.append(tuple(dict.fromkeys(fold(n) for n in names if n)))
            self._add(index, names[:2], _TITLE)
            self._add(index, film.aliases, _ALIAS)
            self._add(index, film.directors, _DIRECTOR)
            self._add(index, film.cast, _CAST)
            self._add(index, [str(film.year), str(film.premiere_year or "")], _YEAR)
            descriptions = [film.card_description.en, film.card_description.ru or ""]
            self._add(index, descriptions, _DESCRIPTION, everyday_words=False)
        self._cached_rank = lru_cache(maxsize=_CACHED_QUERIES)(self.rank)
        self._vocabulary = sorted(self._postings)
        self._by_trigram: dict[str, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            if len(token) >= 3:
                for gram in _trigrams(token):
                    self._by_trigram[gram].append(token)

    def _add(self, index: int, texts: Iterable[str], weight: float, everyday_words: bool = True) -> None:
        for text in texts:
            for token in fold(text).split():
                if not everyday_words and (len(token) < 3 or token in _DESCRIPTION_STOP_WORDS):
                    continue
                if self._postings[token].get(index, 0.0) < weight:
                    self._postings[token][index] = weight

    def _token_matches(self, token: str, is_last: bool) -> dict[str, float]:
        """Vocabulary tokens that `token` may mean, each with how sure we are (0..1)."""
        matches: dict[str, float] = {}
        if token in self._postings:
            matches[token] = 1.0
        if len(token) >= 3 or (is_last and len(token) >= 2):
            start = bisect_left(self._vocabulary, token)
            for candidate in self._vocabulary[start : start + _PREFIX_EXPANSION]:
                if not candidate.startswith(token):
                    break
                if candidate != token:
                    matches.setdefault(candidate, 0.9 - 0.2 * (1 - len(token) / len(candidate)))
        if len(token) >= 4 and not token.isdigit():
            grams = _trigrams(token)
            shared: dict[str, int] = defaultdict(int)
            for gram in grams:
                for candidate in self._by_trigram.get(gram, ()):
                    shared[candidate] += 1
            needed = max(2, len(grams) // 3)
            likely = sorted(
                (c for c, n in shared.items() if n >= needed and abs(len(c) - len(token)) <= 3),
                key=lambda c: (-shared[c], c),
            )[:_FUZZY_CANDIDATES]
            cutoff = 72 if len(token) >= 6 else 78
            for candidate in likely:
                if candidate in matches:
                    continue
                similarity = fuzz.ratio(token, candidate, score_cutoff=cutoff)
                if not similarity and len(candidate) > len(token):
                    # a half-typed word with a typo: compare with the candidate's start
                    similarity = 0.95 * fuzz.ratio(token, candidate[: len(token) + 1], score_cutoff=cutoff)
                if similarity:
                    matches[candidate] = 0.85 * similarity / 100
        return matches

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Match]:
        """Films for `query`, best first; ties break by title. Never raises on any text.

        Pages (`offset`) are slices of one ranking per query, so paging never repeats or skips a film.
        """
        return list(self._cached_rank(fold(query[:MAX_QUERY_CHARS]))[offset : offset + limit])

    def rank(self, folded: str) -> tuple[Match, ...]:
        """The whole ranking for an already folded query (uncached; `search` caches it)."""
        tokens = list(dict.fromkeys(folded.split()))[:MAX_QUERY_TOKENS]
        if not tokens:
            return ()
        meaningful = [t for t in tokens if len(t) > 1 or t.isdigit()] or tokens
        scores: dict[int, float] = defaultdict(float)
        for position, token in enumerate(meaningful):
            best: dict[int, float] = {}
            for candidate, sureness in self._token_matches(token, position == len(meaningful) - 1).items():
                for film_index, weight in self._postings[candidate].items():
                    value = sureness * weight
                    if value > best.get(film_index, 0.0):
                        best[film_index] = value
            for film_index, value in best.items():
                scores[film_index] += value
        count = len(meaningful)
        by_tokens = sorted(scores, key=lambda i: (-scores[i], self._sort_keys[i]))
        # The best candidates are re-scored against whole names, so word order and phrasing count too.
        reranked = []
        for film_index in by_tokens[:_RERANK]:
            phrase = max(fuzz.WRatio(folded, name) for name in self._names[film_index]) / 100
            reranked.append((round(0.75 * scores[film_index] / count + 0.25 * phrase, 4), film_index))
        reranked.sort(key=lambda pair: (-pair[0], self._sort_keys[pair[1]]))
        rest = [(round(0.75 * scores[i] / count, 4), i) for i in by_tokens[_RERANK:]]
        return tuple(Match(self.films[i], s) for s, i in reranked + rest if s >= _MIN_SCORE)

    def find(self, query: str) -> Found:
        """The /film decision: one clear film, several close ones, or none (with nearest titles)."""
        matches = self.search(query, limit=8)
        if matches and matches[0].score >= 0.55:
            top = matches[0].score
            close = [m.film for m in matches if m.score >= top - 0.08]
            if len(close) == 1:
                return Found(Verdict.ONE, (matches[0].film,))
            return Found(Verdict.SEVERAL, tuple(close[:6]))
        return Found(Verdict.NONE, self.nearest_titles(query))

    def nearest_titles(self, query: str, limit: int = 3) -> tuple[Film, ...]:
        """The films whose names look most like `query`, however weak the likeness."""
        folded = fold(query[:MAX_QUERY_CHARS])
        if not folded:
            return ()
        ranked = sorted(
            range(len(self.films)),
            key=lambda i: (-max(fuzz.ratio(folded, n) for n in self._names[i]), self._sort_keys[i]),
        )
        return tuple(self.films[i] for i in ranked[:limit])
