"""The small matters' rates kept with the day's numbers: counted once with the time limits that pass before
midnight, then read at any later moment of the day without a query, exactly as a fresh count at that moment;
a write to a report (acceptance, a clock stop and its end, a resolution, a referral…) counts afresh."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import ReportState
from scorecard.period import year_period
from scorecard.selectors import one_computation
from scorecard.selectors.cache import cached_numbers
from scorecard.selectors.numbers import kept_until, raw_numbers
from tests.casework.factories import make_category, make_report

pytestmark = pytest.mark.django_db
S = ReportState


def _kept(scope, buckets, period, now):
    """The numbers as the scorecard pages read them at `now`, with the moment they next change."""
    with mock.patch("django.utils.timezone.now", return_value=now), one_computation(keep=True):
        numbers = cached_numbers(scope, buckets, period)
        return numbers, kept_until()


def _fresh(scope, buckets, period, now):
    with mock.patch("django.utils.timezone.now", return_value=now):
        return raw_numbers(scope, buckets, period, timezone.localdate(now))


def test_the_kept_rates_at_each_limit_passing_are_a_fresh_count(world):
    w = world
    lamp = make_category(w["D1"])
    t0 = timezone.now()
    midnight = (timezone.localtime(t0) + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    step = (midnight - t0) / 10
    due = [t0 + step * k for k in range(1, 10)]  # nine moments before midnight, in order
    day_start = timezone.localtime(t0).replace(hour=0, minute=0, second=0, microsecond=0)
    since = max(day_start, t0 - timedelta(hours=1))  # in this year, before now

    def report(cell, state=S.SUBMITTED, **fields):
        return make_report(w[cell], lamp, state=state, submitted_at=since, **fields)

    report("c1a", response_due=due[0])  # counted late at due[0]
    report("c1b", response_due=due[1], clock_stopped_at=since)  # the clock stopped: never by the clock
    report("c1a", S.DISPATCHED, response_due=due[0], handling_due=due[2])  # unresolved at due[2]
    report("c1a", S.REFERRED, handling_due=due[2])  # referred: not in the resolution rate
    report("c1b", S.CLOSED, handling_due=due[3])  # closed after its resolution: counted already
    report("c1a", S.IN_PROGRESS, handling_due=due[3], clock_stopped_at=since)
    report("c1a", response_due=midnight + timedelta(hours=1))  # after midnight
    report("c2a", response_due=due[4])
    report("c2a", S.ACCEPTED, handling_due=due[4])
    report("c2a", response_due=due[6])
    period = year_period(timezone.localdate(t0).year)
    scope, buckets = "", [w["D1"].path, w["D2"].path]

    _numbers, until = _kept(scope, buckets, period, t0)
    assert until == due[0]  # the first limit that moves a rate: the pages hold until then
    seen = set()
    moments = [t0, due[0], due[0] + timedelta(microseconds=1), due[2] + step / 2, due[4], due[4] + step / 3]
    moments += [due[6] + timedelta(seconds=1), midnight - timedelta(microseconds=1)]
    for moment in moments:
        with CaptureQueriesContext(connection) as queries:
            kept, until = _kept(scope, buckets, period, moment)
        assert not [q for q in queries if "casework_report" in q["sql"]], moment  # no count, no limit read
        fresh = _fresh(scope, buckets, period, moment)
        for bucket in buckets:
            assert kept[bucket]["casework"] == fresh[bucket]["casework"], (bucket, moment)
            seen.add((bucket, kept[bucket]["casework"]))
        assert until == min([d for d in (due[0], due[2], due[4], due[6]) if d >= moment] + [midnight]), moment
    assert len(seen) == 2 + 2 + 2  # each district's rates moved twice: at due[0], due[2]; at due[4], due[6]

    # the whole city as one bucket (its scorecard) reads the same limits
    whole, _until = _kept(scope, [scope], period, due[4] + step / 3)
    assert whole[scope]["casework"] == _fresh(scope, [scope], period, due[4] + step / 3)[scope]["casework"]
