"""The pagination of every API list: `?page=N` (20 rows), `{count, next, previous, results}`, as documented;
underneath, civic.pagination: a kept exact count and deep pages read by id.

How a list view says how it is counted (docs/api.md, "Pages and counts"):

- `list_count(queryset)` — the view counts itself (the proposals: a count kept per filter, which knows the
  clock);
- `get_count_scopes()` — the scopes whose bumps cover every write that adds or removes a row of the list or
  changes a field it filters on: the count is kept per version of those scopes, keyed by the query itself
  (its SQL and parameters: the filters, the viewer's areas);
- neither — the list is counted per request; such lists are a person's own rows or a queue of a few areas,
  counted over their index.
"""

from rest_framework.pagination import PageNumberPagination

from civic.pagination import ListPaginator, kept_count


def count_of(view, queryset) -> int:
    if hasattr(view, "list_count"):
        return view.list_count(queryset)
    scopes = view.get_count_scopes() if hasattr(view, "get_count_scopes") else None
    if scopes:
        sql, params = queryset.query.sql_with_params()
        name = f"{type(view).__module__}.{type(view).__name__}"
        return kept_count(name, scopes, (sql, params), queryset)
    return queryset.count()


class Pagination(PageNumberPagination):
    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = lambda object_list, per_page: ListPaginator(  # type: ignore[assignment]
            object_list, per_page, count=lambda: count_of(view, object_list)
        )
        return super().paginate_queryset(queryset, request, view)
