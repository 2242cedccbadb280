"""Pages of opinions are read like every list of the API (civic.pagination.ListPaginator): each page holds
the rows plain paging gives, in every order, the deep ones too, in two queries."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consultations import pages, selectors
from consultations.models import Opinion, TextUnit

pytestmark = pytest.mark.django_db


def test_every_page_in_every_order_is_the_plain_page(world, open_consultation):
    c = open_consultation
    units = list(TextUnit.objects.filter(version__consultation=c))
    Opinion.objects.bulk_create(
        Opinion(
            consultation=c, unit=units[i % len(units)], author=world["resident"], text=f"意见{i}", support_count=i % 7
        )
        for i in range(260)
    )
    for order in ("time", "newest", "support", "unit"):
        queryset = selectors.opinions_in_view(c, pages.PUBLIC, order=order)
        for number in (1, 2, 3, 5, 6):
            with CaptureQueriesContext(connection) as queries:
                page = selectors.opinion_page(queryset, number)
                got = [o.pk for o in page.object_list]
            assert got == [o.pk for o in Paginator(queryset, 50).get_page(number).object_list], (order, number)
            assert page.paginator.count == 260 and len(queries) == 2, (order, number)
