"""The search index shared by /film, /add and inline mode.

Every text is folded into one Latin "skeleton" space (Cyrillic transliterated, case, accents, ё/е and
the usual transliteration variants folded), so «Ирония судьбы», "ironiya sudby" and "ironia sudbi"
meet. The index is built once per catalogue: an inverted index of tokens, a sorted vocabulary for
prefixes and a trigram index for typos; rapidfuzz scores only the candidates it yields.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz, process

from bot.core.catalogue.model import Film, Localized

MAX_QUERY_TOKENS = 12
MAX_QUERY_CHARS = 256
_FUZZY_CANDIDATES = 40
_PREFIX_EXPANSION = 64
_RERANK = 30
_COMMON_POSTINGS = 500  # a word in more films than this (or 5% of them) only refines candidates
_MIN_SCORE = 0.15  # low enough for a single word of a description
_CACHED_QUERIES = 4096

# Field weights: a title hit counts most, a word of the description least.
_TITLE, _ALIAS, _DIRECTOR, _CAST, _YEAR, _DESCRIPTION = 1.0, 0.95, 0.85, 0.75, 0.7, 0.3
_SOURCE, _STUDIO, _THEME = 0.8, 0.6, 0.85  # the adapted work and its author; the studio; a theme label
_ROLE = 0.65  # a character: "Ichthyander", «Лукашин»

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


# Text made only of these has no format or control characters (Cf, Cc) to remove: printable ASCII,
# Latin-1 but the soft hyphen, Latin, IPA, combining marks, Greek, Cyrillic, Armenian, most general
# punctuation (dashes, quotation marks, the ellipsis) and letterlike symbols (№). Checked against
# unicodedata for every one of them in tests/core/catalogue/test_search.py.
PLAIN = re.compile("[\x20-\x7e\u00a0-\u00ac\u00ae-\u058f\u2010-\u2027\u2030-\u205e\u2100-\u214f]*")


@cache
def _cyrillic_to_ascii() -> dict[int, str]:
    """anyascii's transliteration of the Cyrillic block as a str.translate table: the same result,
    at C speed, for the letters most of our text is made of."""
    return {code: anyascii(chr(code)) for code in range(0x0400, 0x0500)}


def fold(text: str) -> str:
    """Text -> space-separated Latin skeleton tokens (see the module docstring)."""
    text = text[: MAX_QUERY_CHARS * 4]
    if not PLAIN.fullmatch(text):
        text = "".join(c for c in text if unicodedata.category(c) not in {"Cf", "Cc"})
    text = text.casefold().replace("ё", "е").replace("ъ", "").replace("ь", "")
    text = anyascii(text.translate(_cyrillic_to_ascii())).lower().translate(_APOSTROPHES)
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(_fold_word(w) for w in words)


@lru_cache(maxsize=65_536)  # words repeat: indexing the catalogue folds each distinct one once
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


def _spellings(*texts: Localized | None) -> list[str]:
    """The English and the Russian form of each text that is there."""
    return [spelling for text in texts if text is not None for spelling in (text.en, text.ru or "")]


def _each_word_alike(words: list[str], name_words: list[str]) -> bool:
    """Every word of the query looks like a misspelling of some word of the name."""
    return all(any(fuzz.ratio(word, other) >= _NEAR_MISS_WORD for other in name_words) for word in words)


# Words that say nothing about which film is meant, in folded form.
# Words that carry no name: a query's other words must match, these need not ("the film with the
# cranes", «кино про Ихтиандра»). They still score where a title has them («Дама с собачкой»).
_FILLER = frozenset(
    fold(
        "the a an of and in on with about where one film movie "
        "фильм фильма фильме кино и в на о об с со про где который которая"
    ).split()
)


def _trigrams(token: str) -> set[str]:
    padded = f" {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class Match:
    film: Film
    score: float
    missed: int = 0  # words of the query (other than fillers like "the") that matched nothing of it


# How sure a match must be to be shown as the film asked for, and how close to the best another
# must be to be offered beside it; a film may miss one word of the query in three ("the film cranes").
_STRONG, _CLOSE = 0.55, 0.08
_MAX_CHOICES = 8  # buttons under "several films match"
# A film scoring _WHOLE matches the query as a whole; beside it, only films above _ALSO_RELEVANT are
# worth listing (a shared article scores about 0.25-0.38).
_WHOLE, _ALSO_RELEVANT = 0.9, 0.45
# A name this alike (rapidfuzz's ratio, 0..100) to the whole query is a plausible misspelling of it.
_NEAR_MISS = 75
_NEAR_MISS_WORD = 60  # and each of its words this alike to one of the name's
# A misspelt word may stand for a person's name only when this alike (rapidfuzz's ratio): Ryazonov
# and Баталоф are here; Tarkovsky is not Ostrovsky (78) nor Tchaikovsky (80).
_NEAR_PERSON = 85
_WHOLE_TITLE = 92  # a message this alike to a film's name is that title, whatever words it has


class Verdict(Enum):
    ONE = "one"
    SEVERAL = "several"
    NONE = "none"  # with the nearest titles, if any
    EMPTY = "empty"  # no query at all
    TOO_LONG = "too_long"  # over MAX_QUERY_CHARS


@dataclass(frozen=True)
class Found:
    verdict: Verdict
    films: tuple[Film, ...]


class SearchIndex:
    def __init__(self, films: Sequence[Film], themes: Mapping[str, Localized] | None = None):
        """`themes`: the catalogue's theme vocabulary, so that its labels find their films."""
        themes = themes or {}
        self.films: tuple[Film, ...] = tuple(films)
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._names: list[tuple[str, ...]] = []
        self._people_words: set[str] = set()
        self._title_words: set[str] = set()
        # what else a film is known by, for re-scoring: the adapted work and its author, the studio,
        # the theme labels (so that "Turgenev" or "война" score every film they name alike)
        self._facets: list[tuple[str, ...]] = []
        sort_keys = [f.sort_key for f in self.films]
        alphabetical = sorted(range(len(self.films)), key=sort_keys.__getitem__)
        self._order = [0] * len(self.films)  # each film's place in alphabetical order, for ties
        for place, film_index in enumerate(alphabetical):
            self._order[film_index] = place
        for index, film in enumerate(self.films):
            self._names.append(tuple(dict.fromkeys(fold(n) for n in film.names)))
            self._title_words.update(" ".join(self._names[-1]).split())
            self._add(index, (film.title, film.original_title or ""), _TITLE)
            self._add(index, film.aliases, _ALIAS)
            people = _spellings(
                *film.directors,
                *film.cast,
                *([film.based_on.author] if film.based_on and film.based_on.author else []),
            )
            self._people_words.update(fold(" ".join(people)).split())
            self._add(index, _spellings(*film.directors), _DIRECTOR)
            self._add(index, _spellings(*film.cast), _CAST)
            self._add(index, _spellings(*(p.role for p in film.cast if p.role)), _ROLE)
            self._add(index, [str(film.year), str(film.premiere_year or "")], _YEAR)
            source = _spellings(film.based_on.author, film.based_on.work) if film.based_on else []
            if film.based_on is not None and film.based_on.kind is not None:
                source += _spellings(film.based_on.kind)
            studio = _spellings(film.studio)
            topics = _spellings(*(themes[t] for t in film.themes if t in themes))
            self._add(index, source, _SOURCE)
            self._add(index, studio, _STUDIO)
            self._add(index, topics, _THEME)
            self._facets.append(tuple(dict.fromkeys(fold(n) for n in [*studio, *source, *topics] if n)))
            descriptions = _spellings(film.card_description)
            self._add(index, descriptions, _DESCRIPTION, everyday_words=False)
        self._common = max(_COMMON_POSTINGS, len(self.films) // 20)
        self._all_names = [name for names in self._names for name in names]
        self._by_name: dict[str, list[Film]] = defaultdict(list)  # a folded name -> the films it names
        for film, names in zip(self.films, self._names, strict=True):
            for name in filter(None, names):
                self._by_name[name].append(film)
        self._name_owner = [i for i, names in enumerate(self._names) for _ in names]
        self._cached_rank = lru_cache(maxsize=_CACHED_QUERIES)(self.rank)
        self._vocabulary = sorted(self._postings)
        self._heaviest = {token: max(films.values()) for token, films in self._postings.items()}
        self._by_trigram: dict[str, list[str]] = defaultdict(list)
        for token in self._vocabulary:
            # only words of names, people, works and labels are worth a fuzzy match: a misspelt word
            # of a description says too little (and counting its trigrams was most of a query's cost)
            if len(token) >= 3 and self._heaviest[token] > _DESCRIPTION:
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
        if len(token) >= 6 and not token.isdigit():
            # an inflected form: the word with an ending of one or two letters («Ихтиандра»,
            # «Мягковым», «Лукашина»: a name is declined in Russian where English would not)
            for cut in (1, 2):
                if token[:-cut] in self._postings:
                    matches.setdefault(token[:-cut], 0.95)
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
            usual = 72 if len(token) >= 6 else 78
            for candidate in likely:
                if candidate in matches:
                    continue
                person = candidate in self._people_words and candidate not in self._title_words
                cutoff = max(usual, _NEAR_PERSON) if person else usual
                similarity = fuzz.ratio(token, candidate, score_cutoff=cutoff)
                if not similarity and len(candidate) > len(token):
                    # a half-typed word with a typo: compare with the candidate's start
                    similarity = 0.95 * fuzz.ratio(token, candidate[: len(token) + 1], score_cutoff=cutoff)
                if similarity:
                    matches[candidate] = 0.85 * similarity / 100
        return matches

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[Match]:
        """Films for `query`, best first; ties break by title. Never raises on any text.

        Every page (`offset`) is a slice of the same order, so paging never repeats or skips a film.
        """
        return list(self._cached_rank(fold(query[:MAX_QUERY_CHARS]), offset + limit)[offset:])

    def relevant(self, query: str, limit: int = 50, offset: int = 0) -> list[Match]:
        """`search` as a list for people to read (inline results): once a film matches a query of
        several words as a whole (a title typed out), films that share only a word with it ("The",
        "of") are left out. A single word is a topic ("love"): everything it matches stays."""
        folded = fold(query[:MAX_QUERY_CHARS])
        ranked = self._cached_rank(folded, offset + limit)  # the order `search` pages through
        matches = list(ranked[offset:])
        if not ranked or len(folded.split()) < 2:
            return matches
        if ranked[0].score < _WHOLE:
            # several words and no film is them all: only films that match every word ("Office
            # Romance" is not here, and "A Lover's Romance" is not it)
            words = [w for w in folded.split() if w not in _FILLER]
            return [m for m in matches if m.missed == 0] if len(words) >= 2 else matches
        # a title typed out whole: the films whose names hold every word of it too, not those that
        # share one word with it ("Declaration of Love" is not "A Slave of Love")
        return [m for m in matches if m.score >= _ALSO_RELEVANT and (m.missed == 0 or m is ranked[0])]

    def rank(self, folded: str, limit: int = 50) -> tuple[Match, ...]:
        """The first `limit` films for an already folded query (uncached; `search` caches it).

        The order does not depend on `limit`: the top _RERANK films by token score are re-scored
        against whole names, and the rest follow by token score.
        """
        tokens = list(dict.fromkeys(folded.split()))[:MAX_QUERY_TOKENS]
        if not tokens or limit <= 0:
            return ()
        meaningful = [t for t in tokens if len(t) > 1 or t.isdigit()] or tokens
        last = len(meaningful) - 1
        # (matches, counts for coverage): filler words ("the", "film") neither cover nor miss
        filler = all(t in _FILLER for t in meaningful)
        expansions = [
            (self._token_matches(token, position == last), True)
            if filler or token not in _FILLER
            # a filler word is itself or nothing: "про" is not the start of «пробуждает»
            else ({token: 1.0} if token in self._postings else {}, False)
            for position, token in enumerate(meaningful)
        ]
        # Rare words first: once they have found candidates, a word that half the catalogue shares
        # ("на", "the", a common surname) only adds to those candidates instead of to every film.
        # Fillers come last, and only add to what the other words found.
        expansions.sort(key=lambda e: (not e[1], sum(len(self._postings[c]) for c in e[0])))
        scores: dict[int, float] = defaultdict(float)
        hits: dict[int, int] = defaultdict(int)  # how many of the query's words each film matched
        fillers: dict[int, int] = defaultdict(int)  # how many filler words each film matched
        for matches, covers in expansions:
            if not covers and not scores:
                break
            postings = [(self._postings[c], sureness) for c, sureness in matches.items()]
            if scores and sum(len(p) for p, _ in postings) > self._common:
                for film_index in scores:
                    value = max((s * p.get(film_index, 0.0) for p, s in postings), default=0.0)
                    scores[film_index] += value
                    if value > 0:
                        (hits if covers else fillers)[film_index] += 1
                continue
            postings.sort(key=lambda pair: -pair[1])
            best = {i: postings[0][1] * w for i, w in postings[0][0].items()} if postings else {}
            for posting, sureness in postings[1:]:
                for film_index, weight in posting.items():
                    value = sureness * weight
                    if value > best.get(film_index, 0.0):
                        best[film_index] = value
            counter = hits if covers else fillers
            for film_index in best:
                counter[film_index] += 1
            if not scores:
                scores.update(best)
                continue
            for film_index, value in best.items():
                scores[film_index] += value
        count = len(meaningful)
        counted = sum(1 for _, covers in expansions if covers)

        def share(i: int) -> float:
            """A film's token score per word of the query that counts for it: the words that carry
            a name, and the fillers only where they are part of its names ("the film about the
            cranes" is as good as "cranes" for The Cranes Are Flying; «Дама с собачкой» keeps its «с»)."""
            return scores[i] / ((counted + fillers[i]) or count)

        wanted = max(_RERANK, limit)
        if len(scores) > wanted:
            # Only films that can reach the first `wanted` places need ordering.
            threshold = heapq.nlargest(wanted, scores.values())[-1]
            scores = {i: s for i, s in scores.items() if s >= threshold}
        by_tokens = sorted(scores, key=lambda i: (-scores[i], self._order[i]))[:wanted]
        # The best candidates are re-scored against whole names, so word order and phrasing count too;
        # one C call scores all their names. Films a third of a word behind the leader cannot catch up.
        leader = scores[by_tokens[0]] if by_tokens else 0.0
        block = [i for i in by_tokens[:_RERANK] if scores[i] >= leader - count / 3]
        names = [name for i in block for name in (*self._names[i], *self._facets[i])]
        owners = [i for i in block for _ in (*self._names[i], *self._facets[i])]
        phrase: dict[int, float] = {}
        for _, similarity, position in process.extract(folded, names, scorer=fuzz.WRatio, limit=None):
            phrase.setdefault(owners[position], similarity / 100)  # results come best first
        reranked = [(round(0.75 * share(i) + 0.25 * phrase[i], 4), i) for i in block]
        reranked.sort(key=lambda pair: (-pair[0], self._order[pair[1]]))
        rest = [(round(0.75 * share(i), 4), i) for i in by_tokens[len(block) :]]
        return tuple(
            Match(self.films[i], s, counted - hits[i])
            for s, i in (reranked + rest)[:limit]
            if s >= _MIN_SCORE
        )

    def whole_title(self, query: str) -> Film | None:
        """The film whose name the whole query is (typed out, perhaps with a typo or "the film"
        around it), else None: a title wins over any reading of its words as a wish."""
        folded = fold(query[:MAX_QUERY_CHARS])
        words = [w for w in folded.split() if w not in _FILLER]
        if not words:
            return None
        found = process.extractOne(
            " ".join(words), self._all_names, scorer=fuzz.ratio, score_cutoff=_WHOLE_TITLE
        )
        return self.films[self._name_owner[found[2]]] if found else None

    def knows(self, folded_word: str) -> bool:
        """Whether a (folded) word is one of the catalogue's, perhaps with a Russian ending
        («Олегом»): a word that is not names nothing here, however like another it looks."""
        if folded_word in self._postings or folded_word.isdigit():
            return True
        return len(folded_word) >= 6 and any(folded_word[:-cut] in self._postings for cut in (1, 2))

    def named(self, folded: str) -> tuple[Film, ...]:
        """The films one of whose names folds to exactly `folded`, in catalogue order."""
        return tuple(self._by_name.get(folded, ()))

    def find(self, query: str) -> Found:
        """The /film decision: one clear film, several that really match, or none — with the titles
        the query may be a misspelling of, if any (never just the least unlike ones)."""
        folded = fold(query[:MAX_QUERY_CHARS])
        if re.fullmatch(r"\d{4}", folded):  # a year: the films of that year, as inline search lists them
            year = int(folded)
            of_year = [i for i, f in enumerate(self.films) if year in (f.year, f.premiere_year)]
            of_year.sort(key=lambda i: (self.films[i].year != year, self._order[i]))  # made that year first
            films = [self.films[i] for i in of_year]
            if films:
                return Found(Verdict.ONE if len(films) == 1 else Verdict.SEVERAL, tuple(films[:_MAX_CHOICES]))
            return Found(Verdict.NONE, ())
        matches = self._cached_rank(folded, 8)
        # "and", "the", "film" match almost anything: they are left out of the words to cover
        words = [w for w in dict.fromkeys(folded.split()) if w not in _FILLER] or folded.split()
        real = [m for m in matches if m.score >= _STRONG and m.missed <= len(words) // 3]
        if real:
            top = real[0].score
            close = [m.film for m in real if m.score >= top - _CLOSE]
            if len(close) == 1:
                return Found(Verdict.ONE, (close[0],))
            return Found(Verdict.SEVERAL, tuple(close[:_MAX_CHOICES]))
        return Found(Verdict.NONE, self._near_misses(folded))

    def _near_misses(self, folded: str, limit: int = 3) -> tuple[Film, ...]:
        """The films with a name the (folded) query looks like a misspelling of (however the words
        are spelt or ordered), most alike first; none when no name is that alike."""
        if not folded:
            return ()
        words = folded.split()
        best: dict[int, float] = {}
        for name, similarity, position in process.extract(
            folded, self._all_names, scorer=fuzz.ratio, score_cutoff=_NEAR_MISS, limit=None
        ):
            if not _each_word_alike(words, name.split()):
                continue  # "office romance" is not a misspelling of "cruel romance"
            film_index = self._name_owner[position]
            best[film_index] = max(best.get(film_index, 0.0), similarity)
        ranked = sorted(best, key=lambda i: (-best[i], self._order[i]))
        return tuple(self.films[i] for i in ranked[:limit])
