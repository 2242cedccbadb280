"""Every step of a report bumps the scorecards of its area and the areas above it: the small matters' rates
kept with the day's numbers (scorecard.selectors.cache) move only with the clock between two writes, and
what the clock moves is kept with them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from casework import services
from civic import pagecache
from scorecard.pages import page_scopes
from scorecard.period import year_period
from tests.casework.conftest import photo

pytestmark = pytest.mark.django_db


def _versions(w):
    period = year_period(timezone.localdate().year)
    return {code: pagecache.versions(page_scopes(code, period)) for code in (None, w["D1"].code, w["C1"].code)}


def _bumps(w, write) -> None:
    before = _versions(w)
    write()
    after = _versions(w)
    assert all(after[code] != before[code] for code in before), write


def test_each_step_bumps_the_scorecards(cw, at_state, file_report):
    w = cw
    grid, unit = w["grid_worker_here"], w["unit_member"]
    submitted = at_state("submitted")
    _bumps(w, lambda: services.report_accept(actor=grid, report=submitted))
    working = at_state("in_progress")
    _bumps(w, lambda: services.clock_stop(actor=unit, report=working, reason="reporter"))
    _bumps(w, lambda: services.clock_resume(actor=unit, report=working))
    _bumps(w, lambda: services.clock_stop(actor=unit, report=working, reason="reporter"))
    _bumps(w, lambda: services.report_resolve(actor=unit, report=working, note="修好了", files=[photo()]))
    _bumps(w, lambda: services.report_rate(actor=w["resident"], report=working, level=5))  # closed
    resolved = at_state("resolved")
    _bumps(w, lambda: services.close_unrated_reports(now=timezone.now() + timedelta(days=30)))
    resolved.refresh_from_db()
    assert resolved.state == "closed"
    referred = at_state("accepted")
    _bumps(w, lambda: services.report_refer(actor=grid, report=referred, referred_to="供电公司", reason="产权"))
    withdrawn = at_state("submitted")
    _bumps(w, lambda: services.report_withdraw(actor=w["resident"], report=withdrawn))
    rejected = at_state("submitted")
    _bumps(w, lambda: services.report_reject(actor=grid, report=rejected, reason="不属于小事"))
    survivor, duplicate = at_state("submitted"), file_report(person="resident_elsewhere")
    _bumps(w, lambda: services.report_merge(actor=grid, report=duplicate, into=survivor))
    accepted = at_state("accepted")
    _bumps(w, lambda: services.report_dispatch(actor=grid, report=accepted))
    overdue = at_state("submitted")
    _bumps(w, lambda: services.flag_overdue_reports(now=overdue.response_due + timedelta(minutes=1)))
