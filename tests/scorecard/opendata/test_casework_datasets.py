"""The open data of small matters: reports without their reporters and with the position rounded to about
100 m, and the three rates per grid cell and month as the scorecard counts them."""

from decimal import Decimal

import pytest

from casework import rates
from casework.models import Report
from scorecard import opendata
from scorecard.period import month_period
from tests.casework.factories import make_report
from tests.scorecard.opendata.world import download_csv, download_json

pytestmark = pytest.mark.django_db


def test_reports_carry_no_reporter_and_a_rounded_position(client, odworld):
    w = odworld
    _response, data = download_json(client, "/areas/7701/open-data/reports.json")
    rows = {row["id"]: row for row in data["rows"]}
    assert len(rows) == 2  # the hidden one and the other district's are left out
    mine = rows[w.report.pk]
    assert (mine["latitude"], mine["longitude"]) == ("30.274", "120.155")
    assert mine["status"] == "closed" and mine["rating"] == 4 and mine["category_key"] == "lamp"
    assert mine["area_code"] == w["c1a"].code
    assert not any(key.startswith("reporter") for key in mine)
    _response, table = download_csv(client, "/areas/7701/open-data/reports.csv")
    assert table[0] == opendata.REPORTS.field_names
    assert "30.274149" not in str(table) and "秘密来电人" not in str(table)


def test_rates_by_cell_and_month_agree_with_the_scorecard(client, odworld):
    w = odworld
    report = Report.objects.get(pk=w.report.pk)
    month = report.submitted_at
    make_report(w["c1a"], w.lamp, state="closed", submitted_at=month, rating=1)
    make_report(w["c1a"], w.lamp, state="withdrawn", submitted_at=month)  # left out
    _response, data = download_json(client, "/areas/7701001001001/open-data/report_rates.json")
    [row] = [r for r in data["rows"] if r["area_code"] == w["c1a"].code]
    period = month_period(month.year, month.month)
    expected = rates.rates_of(Report.objects.filter(cell=w["c1a"]), *period.bounds())
    assert row["reports"] == expected.reports == 3
    assert (row["rated"], row["satisfied"], row["satisfaction_rate"]) == (2, 1, "0.5000")
    assert row["response_rate"] == f"{expected.response_rate}"
    assert row["resolution_rate"] == f"{expected.resolution_rate}"
    assert Decimal(row["median_handling_days"]) == expected.median_handling_days
    assert row["month"] == period.start.isoformat()
