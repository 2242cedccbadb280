"""Bounded pages for public lists that grow for years (notices, ballot boxes, sessions): no count of the
whole list, one query of `per_page + 1` rows, and no deeper than `max_pages` (an OFFSET that stays small,
read along an index). The page knows only whether a next one exists; `partials/pagination_bounded.html`
links to it."""

from dataclasses import dataclass, field

MAX_PAGES = 50


@dataclass
class BoundedPage:
    object_list: list = field(default_factory=list)
    number: int = 1
    _more: bool = False

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(text, max_pages: int = MAX_PAGES) -> int:
    """The page asked for in the address: 1 for anything that is not a whole number, at most `max_pages`."""
    text = str(text or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return 1
    return max(1, min(int(text), max_pages))


def bounded_page(queryset, number, per_page: int = 20, max_pages: int = MAX_PAGES) -> BoundedPage:
    """Page `number` of `queryset` (already ordered), read as one query of at most `per_page + 1` rows."""
    n = page_number(number, max_pages)
    start = (n - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return BoundedPage(rows[:per_page], n, len(rows) > per_page and n < max_pages)
