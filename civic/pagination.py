"""Numbered pages of a long list whose cost depends on the page size, not on the number of rows.

Two costs grow with a list when it is paged the plain way (`COUNT(*)`, then `ORDER BY … OFFSET k LIMIT n`):

- **the count.** A list says how many rows it has on every page. Here the count is *kept*: computed once per
  version of the list's scopes (civic.pagecache, the same versions the exact page cache uses) and read back
  in one small query until a write that adds, removes or re-files a row bumps a scope. Exact as the page
  cache is exact: the versions are read before counting, so a count is never kept under a newer version
  than the rows it counted. A count that depends on the clock (the proposals still collecting) says until
  when it holds (`valid_until`). A list with no scopes is counted per request by its index.
- **the rows of a deep page.** Every page is one query. A deeper page's query first picks only the ids of
  its rows, in the list's order (an index walk over the ids, no row, no join), then reads the rows of those
  ids: the rows, joins and columns read are those of one page whatever its number.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

from . import pagecache


def kept_count(
    name: str,
    scopes: Sequence[str],
    keys: tuple,
    queryset: QuerySet,
    *,
    valid_until: Callable[[], datetime | None] | None = None,
) -> int:
    """`queryset.count()`, counted once per version of `scopes` (whose bumps must cover every write that adds
    a row to the list, removes one, or changes a field it is filtered by) and kept under `keys`, which
    must name the filter exactly."""
    return int(
        pagecache.value(f"count:{name}", scopes, keys, lambda: {"n": queryset.count()}, valid_until=valid_until)["n"]
    )


# A page that starts within the first DEEP_FROM rows is read with a plain OFFSET (stepping over so few
# joined rows costs less than the inner query); a deeper one picks its ids first.
DEEP_FROM = 100


def _ends_with_id(queryset: QuerySet) -> bool:
    order = list(queryset.query.order_by)
    return bool(order) and isinstance(order[-1], str) and order[-1].lstrip("-") in ("id", "pk")


def page_rows(object_list, bottom: int, top: int, count: int | None = None) -> list:
    """The rows `bottom`..`top` of an ordered list. A deeper page is still one query, whose inner part reads
    only the ids of the page's rows in the list's order (what the list's index holds: no row, no join is
    touched for the rows stepped over), and whose outer part reads those rows by id. A page in the second
    half of a list whose order ends with the id (a total order) walks the index from the other end: at most
    half the list's ids are stepped over."""
    if bottom < DEEP_FROM or not isinstance(object_list, QuerySet) or not object_list.ordered:
        return list(object_list[bottom:top])
    ids_of = object_list.values_list("pk", flat=True)
    if count is not None and bottom > count - top and top <= count and _ends_with_id(object_list):
        ids = ids_of.reverse()[count - top : count - bottom]
    else:
        ids = ids_of[bottom:top]
    return list(object_list.filter(pk__in=ids))


class ListPaginator(Paginator):
    """A Paginator with a count given by `count` (a function: a kept count) and deeper pages read by id."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count=None):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self._count_fn = count

    @cached_property
    def count(self) -> int:
        if self._count_fn is not None:
            return int(self._count_fn())
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top, self.count), number, self)
