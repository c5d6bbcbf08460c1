"""What people type for a daily hour and a time zone, read into a `time` and a `Zone`; zones shown
as people know them ("Moscow (UTC+3)", «Москва (UTC+3)»).

Times: `8`, `08:30`, `7.30`, `9am`, `9:00 pm`, `21h30`, `9 утра`, `в 9 вечера`. Zones: an IANA name in
any case (`europe/berlin`), a city in English or Russian (`Berlin`, `Новосибирск`, `New York`),
`MSK`/`МСК`, an offset (`UTC+3`, `GMT-03:30`, `+3`). Abbreviations that name a zone with summer time
(`EST`, `PST`, `CET`) are read as that zone's city, so summer is right; ambiguous ones (`IST`, `BST`)
are refused with a hint. Every refusal is a `Refused` carrying the text key that says exactly
what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import available_timezones

from rapidfuzz import fuzz, process

from bot.core.models import Language, Refused, Zone
from bot.core.subscriptions.schedule import UTC_OFFSET, parse_zone


@dataclass(frozen=True)
class City:
    key: str  # in callback data: short and stable
    zone: str  # the IANA name stored
    en: str
    ru: str
    aliases: tuple[str, ...] = ()

    def name(self, language: Language) -> str:
        return self.ru if language == "ru" else self.en


CITIES = (
    City("kaliningrad", "Europe/Kaliningrad", "Kaliningrad", "Калининград"),
    City("moscow", "Europe/Moscow", "Moscow", "Москва",
         ("msk", "мск", "moskva", "москве", "по москве", "saint petersburg", "st petersburg",
          "st. petersburg", "petersburg", "санкт-петербург", "петербург", "питер", "спб")),
    City("samara", "Europe/Samara", "Samara", "Самара"),
    City("yekaterinburg", "Asia/Yekaterinburg", "Yekaterinburg", "Екатеринбург", ("ekaterinburg", "екб")),
    City("omsk", "Asia/Omsk", "Omsk", "Омск"),
    City("novosibirsk", "Asia/Novosibirsk", "Novosibirsk", "Новосибирск"),
    City("krasnoyarsk", "Asia/Krasnoyarsk", "Krasnoyarsk", "Красноярск"),
    City("irkutsk", "Asia/Irkutsk", "Irkutsk", "Иркутск"),
    City("yakutsk", "Asia/Yakutsk", "Yakutsk", "Якутск"),
    City("vladivostok", "Asia/Vladivostok", "Vladivostok", "Владивосток"),
    City("magadan", "Asia/Magadan", "Magadan", "Магадан"),
    City("kamchatka", "Asia/Kamchatka", "Petropavlovsk-Kamchatsky", "Петропавловск-Камчатский",
         ("kamchatka", "камчатка")),
    City("kyiv", "Europe/Kyiv", "Kyiv", "Киев", ("kiev", "київ")),
    City("minsk", "Europe/Minsk", "Minsk", "Минск"),
    City("chisinau", "Europe/Chisinau", "Chișinău", "Кишинёв", ("chisinau", "кишинев")),
    City("riga", "Europe/Riga", "Riga", "Рига"),
    City("vilnius", "Europe/Vilnius", "Vilnius", "Вильнюс"),
    City("tallinn", "Europe/Tallinn", "Tallinn", "Таллин"),
    City("helsinki", "Europe/Helsinki", "Helsinki", "Хельсинки"),
    City("tbilisi", "Asia/Tbilisi", "Tbilisi", "Тбилиси"),
    City("yerevan", "Asia/Yerevan", "Yerevan", "Ереван"),
    City("baku", "Asia/Baku", "Baku", "Баку"),
    City("almaty", "Asia/Almaty", "Almaty", "Алматы", ("астана", "astana", "алма-ата")),
    City("tashkent", "Asia/Tashkent", "Tashkent", "Ташкент"),
    City("bishkek", "Asia/Bishkek", "Bishkek", "Бишкек"),
    City("istanbul", "Europe/Istanbul", "Istanbul", "Стамбул"),
    City("jerusalem", "Asia/Jerusalem", "Jerusalem", "Иерусалим",
         ("tel aviv", "тель-авив", "israel", "израиль")),
    City("dubai", "Asia/Dubai", "Dubai", "Дубай"),
    City("warsaw", "Europe/Warsaw", "Warsaw", "Варшава"),
    City("prague", "Europe/Prague", "Prague", "Прага"),
    City("berlin", "Europe/Berlin", "Berlin", "Берлин"),
    City("vienna", "Europe/Vienna", "Vienna", "Вена"),
    City("paris", "Europe/Paris", "Paris", "Париж"),
    City("rome", "Europe/Rome", "Rome", "Рим"),
    City("madrid", "Europe/Madrid", "Madrid", "Мадрид"),
    City("amsterdam", "Europe/Amsterdam", "Amsterdam", "Амстердам"),
    City("london", "Europe/London", "London", "Лондон"),
    City("new-york", "America/New_York", "New York", "Нью-Йорк", ("nyc",)),
    City("chicago", "America/Chicago", "Chicago", "Чикаго"),
    City("denver", "America/Denver", "Denver", "Денвер"),
    City("los-angeles", "America/Los_Angeles", "Los Angeles", "Лос-Анджелес", ("la", "san francisco")),
    City("toronto", "America/Toronto", "Toronto", "Торонто"),
    City("tokyo", "Asia/Tokyo", "Tokyo", "Токио"),
    City("beijing", "Asia/Shanghai", "Beijing", "Пекин", ("шанхай", "shanghai")),
)  # fmt: skip
BY_KEY = {city.key: city for city in CITIES}
_BY_ZONE = {city.zone: city for city in reversed(CITIES)}  # the first city of a zone names it

# The cities offered as buttons, in the order people of each language most likely need them.
SUGGESTED: dict[Language, tuple[str, ...]] = {
    "ru": ("moscow", "kaliningrad", "samara", "yekaterinburg", "novosibirsk", "vladivostok"),
    "en": ("london", "berlin", "moscow", "new-york", "chicago", "los-angeles"),
}

# Abbreviations of zones with summer time: read as the zone they are used for.
_ABBREVIATIONS = {
    "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
    "cst": "America/Chicago", "cdt": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "pt": "America/Los_Angeles",
    "cet": "Europe/Berlin", "cest": "Europe/Berlin",
    "eet": "Europe/Helsinki", "eest": "Europe/Helsinki",
    "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
}  # fmt: skip
_AMBIGUOUS = {"ist", "bst", "ast", "ect", "gst", "sst", "cat", "eat", "wat", "hst", "akst"}

_TIME = (
    r"(?:в\s+)?(?P<hour>\d{1,2})(?:\s*[:.hч]\s*(?P<minute>\d{2}))?\s*"
    r"(?P<half>a\.?\s?m\.?|p\.?\s?m\.?|утра|ночи|дня|вечера|ч\.?)?"
)
_TIME_FIRST = re.compile(rf"^{_TIME}(?:\s+(?P<rest>.+))?$", re.IGNORECASE)
_TIME_LAST = re.compile(rf"^(?P<rest>.+?)\s+{_TIME}$", re.IGNORECASE)


def _key(words: str) -> str:
    """Letters and digits only, lower case, ё as е: `Nizhny_Novgorod` and `nizhny novgorod` agree."""
    words = words.casefold().replace("ё", "е").replace("_", " ").replace("-", " ")
    return " ".join(re.findall(r"[\w+]+", words))


@cache
def _known() -> dict[str, str]:
    """Every name a zone can be typed by -> its IANA name: the cities' names and aliases, every
    IANA name, and the city part of each (`berlin` for Europe/Berlin)."""
    names: dict[str, str] = {}
    iana = sorted(available_timezones())
    for zone in iana:
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/")):
            names.setdefault(_key(zone.rsplit("/", 1)[1]), zone)
    for zone in iana:
        names[_key(zone)] = zone
    for city in CITIES:
        for name in (city.en, city.ru, city.key, *city.aliases):
            names[_key(name)] = city.zone
    return names


def read_zone(typed: str) -> Zone:
    """The zone `typed` names; Refused saying what is wrong (with the likeliest zone, if any)."""
    typed = typed.strip().replace("−", "-")
    key = _key(typed)
    offset = UTC_OFFSET.match(typed)
    if offset:
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        negative = offset.group(1) == "-"
        if minutes >= 60 or hours > (12 if negative else 14) or (hours in (12, 14) and minutes):
            raise Refused("when_bad_offset")
        return parse_zone(typed)
    if key in {"utc", "gmt", "z"}:
        return parse_zone("UTC")
    if key in _ABBREVIATIONS:
        return parse_zone(_ABBREVIATIONS[key])
    if key in _AMBIGUOUS:
        raise Refused("when_ambiguous_zone", name=typed)
    zone = _known().get(key)
    if zone is not None:
        return parse_zone(zone)
    if not key:
        raise Refused("when_unknown_zone", name=typed)
    nearest = process.extractOne(key, list(_known()), scorer=fuzz.ratio, score_cutoff=75)
    if nearest is not None:
        raise Refused("when_zone_suggest", name=typed, suggestion=_known()[nearest[0]])
    raise Refused("when_unknown_zone", name=typed)


def _time_of(match: re.Match[str]) -> time:
    hour, minute = int(match.group("hour")), int(match.group("minute") or 0)
    half = (match.group("half") or "").lower().replace(".", "").replace(" ", "")
    if minute > 59:
        raise Refused("when_bad_minute")
    if half in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise Refused("when_bad_hour_12", hour=hour)
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif half in ("утра", "ночи"):
        if not 1 <= hour <= 12:
            raise Refused("when_bad_hour_12", hour=hour)
        hour %= 12
    elif half in ("дня", "вечера"):
        if not 1 <= hour <= 12:
            raise Refused("when_bad_hour_12", hour=hour)
        hour = hour % 12 + 12
    elif hour > 23:
        raise Refused("when_bad_hour", hour=hour)
    return time(hour, minute)


_CLOCK = r"(\d{1,2}(?:[:.]\d{2})?)"
# Times as people say them, rewritten into the digits the patterns below read.
_SPOKEN = [
    (re.compile(r"(?:\bat\s+)?\b(?:12\s*)?(?:noon|midday)\b", re.IGNORECASE), "12:00"),
    (re.compile(r"(?:\bat\s+)?\bmidnight\b", re.IGNORECASE), "0:00"),
    (re.compile(r"(?:(?<!\w)в\s+)?(?<!\w)полдень(?!\w)", re.IGNORECASE), "12:00"),
    (re.compile(r"(?:(?<!\w)в\s+)?(?<!\w)полночь(?!\w)", re.IGNORECASE), "0:00"),
    (re.compile(rf"(?:\bat\s+)?{_CLOCK}\s*(?:o'?clock\s+)?in\s+the\s+morning\b", re.IGNORECASE), r"\1am"),
    (
        re.compile(
            rf"(?:\bat\s+)?{_CLOCK}\s*(?:o'?clock\s+)?(?:in\s+the\s+(?:afternoon|evening)|tonight|this\s+evening"
            r"|at\s+night)\b",
            re.IGNORECASE,
        ),
        r"\1pm",
    ),
    (re.compile(rf"(?:\bat\s+)?{_CLOCK}\s*o'?clock\b", re.IGNORECASE), r"\1"),
    (re.compile(rf"{_CLOCK}\s+утром(?!\w)", re.IGNORECASE), r"\1 утра"),
    (re.compile(rf"{_CLOCK}\s+(?:вечером|сегодня\s+вечером)(?!\w)", re.IGNORECASE), r"\1 вечера"),
    (re.compile(r"^\s*at\s+(?=\d)", re.IGNORECASE), ""),
]
_TOMORROW = re.compile(
    r"(?<!\w)(?:завтра|tomorrow|завтра\s+с|from\s+tomorrow|starting\s+tomorrow|с\s+завтрашнего\s+дня)(?!\w)",
    re.IGNORECASE,
)
_TODAY = re.compile(r"(?<!\w)(?:сегодня|today)(?!\w)", re.IGNORECASE)
# Words that say a time was meant: a part with one of them that is not a time is no zone either.
_TIME_WORDS = re.compile(
    r"\d|(?<!\w)(?:утр\w*|вечер\w*|ноч\w*|дня|час\w*|минут\w*|полвосьмого|пол\w+ого|am|pm|a\.m\.|p\.m\."
    r"|morning|evening|night|noon|o'?clock|hours?|minutes?|half|quarter)(?!\w)",
    re.IGNORECASE,
)


def spoken_time(typed: str) -> tuple[str, bool]:
    """`typed` with times as people say them ("noon", «в полдень», "8 in the morning", "at 9
    tonight", «в 9 вечером») in digits, and whether it says the time starts tomorrow («завтра в 9»,
    "tomorrow at 9"), that word taken out."""
    text = " ".join(typed.split())
    tomorrow = bool(_TOMORROW.search(text))
    text = _TODAY.sub(" ", _TOMORROW.sub(" ", text))
    for pattern, replacement in _SPOKEN:
        text = pattern.sub(replacement, text)
    return " ".join(text.split()), tomorrow


def read_subscription(typed: str) -> tuple[time | None, Zone | None]:
    """`/subscribe` words: a time, a zone, both in either order, or nothing; None for what was not
    said. Refused for the part that is wrong: a part that reads as neither a time nor a zone but has
    a time's words in it ("half past eight", «полвосьмого») is named as the time it could not read."""
    typed = " ".join(spoken_time(typed)[0].split()).replace("−", "-")
    if not typed:
        return None, None
    refused: Refused | None = None
    for pattern in (_TIME_FIRST, _TIME_LAST):
        match = pattern.match(typed)
        if match is None:
            continue
        at = _time_of(match)
        if match.group("rest") is None:
            return at, None
        try:
            return at, read_zone(match.group("rest"))
        except Refused as exc:
            exc.values.setdefault("time", f"{at.hour:02d}:{at.minute:02d}")  # for the example
            refused = refused or exc
    if refused is not None:
        raise refused
    if typed[0].isdigit() and not UTC_OFFSET.match(typed):
        raise Refused("when_not_a_time", typed=typed.split()[0])
    try:
        return None, read_zone(typed)
    except Refused:
        if _TIME_WORDS.search(typed) and not UTC_OFFSET.match(typed):
            raise Refused("when_not_a_time", typed=typed) from None
        raise


def city_of(zone: Zone) -> City | None:
    return _BY_ZONE.get(zone.name)


def offset_label(where: tzinfo, now: datetime) -> str:
    """`UTC+3`, `UTC+5:30`, `UTC−5`, `UTC` at the instant `now`."""
    offset = now.astimezone(where).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if not minutes:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(zone: Zone, language: Language, now: datetime, in_brackets: bool = False) -> str:
    """The zone as people know it: "Moscow (UTC+3)", «Москва (UTC+3)», "Lisbon (UTC)", "UTC+5";
    `in_brackets` for a sentence that already puts it in brackets: "Moscow, UTC+3"."""
    offset = offset_label(zone.tz, now)
    if zone.name.startswith("UTC"):
        return offset
    city = city_of(zone)
    name = city.name(language) if city else zone.name.rsplit("/", 1)[-1].replace("_", " ")
    return f"{name}, {offset}" if in_brackets else f"{name} ({offset})"
