"""One sentence, analysed once: bodies, titles, places, people and dates in it.

Later rules (documents, meetings, goals) read these instead of searching again.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text import Sentence
from .bodies import Mention, PlaceRef, Scope, Title, find_bodies, find_places
from .dates import DateMention, find_dates
from .people import PersonMention, find_people
from .titles import find_titles


@dataclass
class Analysed:
    sent: Sentence
    bodies: list[Mention]
    titles: list[Title]
    places: list[tuple[int, int, PlaceRef]]
    people: list[PersonMention]
    dates: list[DateMention]


def analyse(sent: Sentence, scope: Scope, year: int | None) -> Analysed:
    text = sent.text
    titles = find_titles(text, scope)
    bodies = find_bodies(text, scope)
    places = find_places(text, scope)
    dates = find_dates(text, year)
    blocked = [(b.start, b.end) for b in bodies] + [(a, b) for a, b, _ in places] + [(d.start, d.end) for d in dates]
    people = find_people(text, titles, blocked)
    return Analysed(sent, bodies, titles, places, people, dates)
