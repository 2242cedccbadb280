"""The five-governance scorecard (五治): every figure computed from the records, for an area and a period.

An area's figures count the records of the area and of everything under it (a path prefix); no area means
the whole platform. Every figure is an aggregate in the database: a scorecard costs a fixed number of
queries whatever the number of records, and comparing the children of an area costs the same number again,
not one set per child (each query groups its rows by the child whose path prefixes theirs).

The numbers are cached under a key that carries a cheap "data version" (one query reading the newest row
of each table the figures read), so any new record (or audit line, which every state change writes) gives
a new key and the next reader computes fresh figures.

Split by concern: `definitions` (what each figure means), `numbers` (the queries), `cache` (the data version
and the cache), `figures` (from numbers to figures), `cards` (an area's scorecard and its children side by
side) and `report` (the yearly report). Callers use the names below.
"""

from .cache import CACHE_SECONDS, data_version
from .cards import children_of, compare_children, scorecard
from .definitions import ACTOR_KINDS, FIGURES, FUNNEL, FUNNEL_DEFINITION, GOVERNANCES
from .report import yearly_report

__all__ = [
    "ACTOR_KINDS",
    "CACHE_SECONDS",
    "FIGURES",
    "FUNNEL",
    "FUNNEL_DEFINITION",
    "GOVERNANCES",
    "children_of",
    "compare_children",
    "data_version",
    "scorecard",
    "yearly_report",
]
