"""Every form of the words the bot listens for, made once per catalogue by morphology libraries, so
that reading a message is a dictionary look-up: «войну», «военных» → война; «Рязанова» → Рязанов;
"comedies" → comedy.

pymorphy3 (with its Russian and Ukrainian dictionaries) gives each Russian or Ukrainian word's
lexeme; simplemma's English dictionary, read backwards, gives an English word's forms. Together they
hold about 80 MiB, which a running bot does not need for a table of a few thousand forms, and which
the allocator would not give back once they were loaded: `morphology` runs them in a process of its
own (`python -m bot.core.asking.forms`, a fresh interpreter: nothing of the bot's is copied into it)
and keeps only the table.
"""

from __future__ import annotations

import functools
import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.core.catalogue.search import fold

log = logging.getLogger(__name__)

Language = str  # "en", "ru", "uk"
_Analyzers = Callable[[Language], Any]  # a language -> pymorphy3's analyzer of it, made once


def forms_table(words: Mapping[Language, Iterable[str]], analyzers: _Analyzers) -> dict[str, list[str]]:
    """folded form -> its folded dictionary forms (a word's own first: «рязанова» is Raisa
    Ryazanova's surname and a form of Ryazanov's), for every word of `words` (per language). A
    multi-word phrase gives the forms of each of its words."""
    wanted = {
        language: {w for phrase in phrases for w in phrase.casefold().split()}
        for language, phrases in words.items()
    }
    table: dict[str, list[str]] = {}
    for language, lemmas in wanted.items():
        for lemma in lemmas:
            own = table.setdefault(fold(lemma), [])
            if fold(lemma) in own:
                own.remove(fold(lemma))
            own.insert(0, fold(lemma))  # a word is first of all itself
        try:
            found = _english(lemmas) if language == "en" else _slavic(lemmas, analyzers(language))
        except Exception as exc:  # a missing dictionary: the words themselves still match
            log.warning("no %s word forms (%s): only the dictionary forms are understood", language, exc)
            continue
        for form, lemma in found:
            folded_form, folded_lemma = fold(form), fold(lemma)
            if folded_form and folded_lemma and folded_lemma not in table.setdefault(folded_form, []):
                table[folded_form].append(folded_lemma)
    return table


def _slavic(lemmas: Iterable[str], analyzer: Any) -> list[tuple[str, str]]:
    found = []
    for lemma in lemmas:
        parses = analyzer.parse(lemma)[:3]
        own = [p for p in parses if p.normal_form.replace("ё", "е") == lemma.replace("ё", "е")]
        for parse in parses:
            person = bool({"Surn", "Name"} & set(parse.tag.grammemes))
            # a word that is not its own normal form («первая» of «первая любовь», a woman's
            # surname, whose normal form is her husband's) takes the forms of its likeliest lexeme
            likeliest = not own and parse is parses[0]
            if parse not in own and not likeliest and not person:
                continue
            # a surname's lexeme has both genders: «Кореневой» is Koreneva's, not Korenev's
            found += [
                (form.word, lemma)
                for form in parse.lexeme
                if not person or form.tag.gender in (None, parse.tag.gender)
            ]
    return found


def _english(lemmas: Iterable[str]) -> list[tuple[str, str]]:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    wanted = set(lemmas)
    dictionary = DefaultDictionaryFactory(cache_max_size=0).get_dictionary("en")
    return [(form, lemma) for form, lemma in dictionary.items() if lemma in wanted]


def inflect(name: str, case: str, analyzer: Any) -> str | None:
    """A Russian name in a grammatical case ("gent": «Эльдара Рязанова», "ablt": «Алексеем
    Баталовым»), each word as pymorphy3 inflects it as a name; None when a word is not one it knows."""
    words = []
    for word in name.split():
        feminine = word.endswith(("а", "я"))
        parses = [
            p
            for p in analyzer.parse(word)
            if {"Name", "Surn"} & set(p.tag.grammemes)
            and p.tag.case == "nomn"
            and p.tag.number == "sing"
            and p.tag.gender == ("femn" if feminine else "masc")
        ]
        if not parses:
            return None
        inflected = parses[0].inflect({case})
        if inflected is None:
            return None
        shown = inflected.word
        words.append(shown[:1].upper() + shown[1:])
    return " ".join(words)


Inflections = dict[str, tuple[str | None, str | None]]  # a Russian name -> (genitive, instrumental)


def _morphology_here(
    words: Mapping[Language, Iterable[str]], names: Iterable[str]
) -> tuple[dict[str, list[str]], Inflections]:
    """The forms and the inflected names, each dictionary loaded once and dropped at the end."""

    @functools.cache
    def analyzers(language: Language) -> Any:
        import pymorphy3  # type: ignore[import-untyped]

        return pymorphy3.MorphAnalyzer(lang=language)

    try:
        russian = analyzers("ru")
        inflected = {name: (inflect(name, "gent", russian), inflect(name, "ablt", russian)) for name in names}
    except Exception as exc:  # no dictionary: names are shown uninflected
        log.warning("names not inflected (%s)", exc)
        inflected = {}
    return forms_table(words, analyzers), inflected


def morphology(
    words: Mapping[Language, Iterable[str]], names: Iterable[str]
) -> tuple[dict[str, list[str]], Inflections]:
    """The forms table of `words` and the Russian `names` inflected, made in a process of its own
    (`python -m bot.core.asking.forms`, JSON in and out; see the module); in this one, should that
    process fail."""
    listed = {language: list(phrases) for language, phrases in words.items()}
    named = list(names)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.core.asking.forms"],
            input=json.dumps({"words": listed, "names": named}),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        made = json.loads(done.stdout)
        inflected = {name: (forms[0], forms[1]) for name, forms in made["names"].items()}
        return made["forms"], inflected
    except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
        log.warning("word forms made in the bot's own process (%s)", exc)
        return _morphology_here(listed, named)


if __name__ == "__main__":  # the process `morphology` starts
    asked = json.load(sys.stdin)
    forms, inflected = _morphology_here(asked["words"], asked["names"])
    json.dump({"forms": forms, "names": inflected}, sys.stdout, ensure_ascii=False)
