"""Scorecard pages, split by subject; thin: parse, call a selector, render."""

from .dashboard import area_report, area_scorecard, city_report, city_scorecard  # noqa: F401
from .opendata import opendata_download, opendata_index  # noqa: F401
