"""The five-governance scorecard (五治): every figure computed from the records, for an area and a period.

An area's figures count the records of the area and of everything under it (a path prefix); no area means
the whole platform. Every figure is an aggregate in the database: a scorecard costs a fixed number of
queries whatever the number of records, and comparing the children of an area costs the same number again,
not one set per child (each query groups its rows by the child whose path prefixes theirs).

The pages that show the numbers are kept exactly (civic.pagecache, scopes per area and year: see
scorecard.pages and docs/scorecard.md): the figures of a period are computed once per change of what they
count, a write in one district leaves the others' scorecards kept, and a closed year stays kept while
nothing dated in it changes.

Split by concern: `definitions` (what each figure means), `numbers` (the queries), `cache` (the numbers
and the data version), `figures` (from numbers to figures), `cards` (an area's scorecard and its children side by
side) and `report` (the yearly report). Callers use the names below.
"""

from .cache import data_version
from .cards import children_of, compare_children, scorecard
from .definitions import ACTOR_KINDS, CACHE_SECONDS, FIGURES, FUNNEL, FUNNEL_DEFINITION, GOVERNANCES
from .numbers import one_computation
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
    "one_computation",
    "scorecard",
    "yearly_report",
]
