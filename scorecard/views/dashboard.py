"""The five-governance scorecard pages: the dashboard per area (or the whole city) and the yearly report.

Thin: parse the period, call the scorecard selectors, render. A bad period never breaks the page: the
form shows the error and the page shows the default period (this year).
"""

from decimal import Decimal

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic import pagecache
from civic.errors import InvalidInput
from civic.models import Area
from civic.selectors import area_ancestors

from ..period import FIRST_YEAR, LAST_YEAR, parse_period

# One key figure per column of the child-area comparison, and the few drawn as small multiples.
COMPARE_FIGURES = [
    "median_answer_days",
    "answered_in_time_share",
    "quorum_share",
    "participation_share",
    "enterprise_social_proposal_share",
    "satisfaction_rate",
]
SMALL_MULTIPLES = ["answered_in_time_share", "participation_share", "satisfaction_rate"]


class PeriodForm(forms.Form):
    """The period selector: a GET form whose fields are those `parse_period` reads; it only renders,
    the parsing (and its translated errors) is `parse_period`'s."""

    period = forms.CharField(
        label=_("Period"),
        required=False,
        widget=forms.Select(
            choices=[
                ("month", _("A month")),
                ("quarter", _("A quarter")),
                ("year", _("A year")),
                ("custom", _("From … to …")),
            ]
        ),
    )
    year = forms.CharField(
        label=_("Year"), required=False, widget=forms.NumberInput(attrs={"min": FIRST_YEAR, "max": LAST_YEAR})
    )
    quarter = forms.CharField(
        label=_("Quarter"),
        required=False,
        widget=forms.Select(),
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.Select(),
    )
    start = forms.CharField(
        label=_("From (custom period)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.CharField(label=_("To (custom period)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # numbered labels are formatted here, per request, in the reader's language (not once at import)
        self.fields["quarter"].widget.choices = [("", "—")] + [
            (str(q), gettext("Q%(q)s") % {"q": q}) for q in range(1, 5)
        ]
        self.fields["month"].widget.choices = [("", "—")] + [
            (str(m), gettext("Month %(m)s") % {"m": m}) for m in range(1, 13)
        ]


def _period(params):
    """(period, error): the period asked for, or this year's and the error that made it so (InvalidInput)."""
    today = timezone.localdate()
    try:
        return parse_period(params, today=today), None
    except InvalidInput as error:
        return parse_period({}, today=today), error


def _period_form(params, error) -> PeriodForm:
    """The period selector as asked for, with the error `_period` met on its field; made only when the page
    is rendered (a kept page needs no form)."""
    form = PeriodForm(params if params else None, initial={"period": "year", "year": timezone.localdate().year})
    if form.is_bound:
        form.is_valid()
    if error is not None:
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error.message))
    return form


def _figure_index(card: dict) -> dict:
    return {f["key"]: f for g in card["governances"] for f in g["figures"]}


def _area_links(area: Area | None, *, include_self: bool = False):
    """The breadcrumb up the area tree, as (name, scorecard url): the whole city, then each ancestor's
    scorecard (and the area's own, on a page below it)."""
    crumbs = [(_("Scorecard of the whole city"), reverse("scorecard:scorecard-city"))]
    if area is not None:
        chain = [*area_ancestors(area), area] if include_self else area_ancestors(area)
        crumbs += [(a.name, reverse("scorecard:scorecard-area", args=[a.code])) for a in chain]
    return crumbs


def _open_data_url(area: Area | None) -> str:
    return reverse("scorecard:opendata", args=[area.code]) if area is not None else reverse("scorecard:opendata-city")


def _dashboard_context(request, area: Area | None, period, form) -> dict:
    """What the dashboard shows, read only when the kept page is not current (scorecard.pages)."""
    from .. import pages, selectors

    with selectors.one_computation(keep=True):  # who took part etc. read once; the day's numbers kept
        card = selectors.scorecard(area, period)
        children = selectors.compare_children(area, period)
        valid_until = pages.valid_until(area, period)  # as the kept numbers know it
    index = _figure_index(card)
    compare = [index[key] for key in COMPARE_FIGURES if key in index]
    today = timezone.localdate()
    report_year = min(period.end.year, today.year)
    return {
        "area": area,
        "card": card,
        "period": period,
        "form": form,
        "quick": _quick_periods(period),
        "children": children,
        "compare": compare,
        "multiples": [index[key] for key in SMALL_MULTIPLES if key in index],
        "crumbs": _area_links(area) if area else [(_("Areas"), reverse("civic:area-list"))],
        "current": None if area else _("Scorecard of the whole city"),
        "report_url": (
            reverse("scorecard:scorecard-report-area", args=[area.code, report_year])
            if area
            else reverse("scorecard:scorecard-report-city", args=[report_year])
        ),
        "report_year": report_year,
        "open_data_url": _open_data_url(area),
        "valid_until": valid_until,
    }


def _part(request, name: str, code: str | None, period, context) -> pagecache.Part:
    """The kept page of a scorecard: per area (its code; None: the city), period (the query) and language;
    figures are computed once per version of the area's years (scorecard.pages). A period not begun yet is
    not kept. Made from the URL's code, before the area is read: a kept page costs one query."""
    from .. import pages

    return pagecache.Part(
        name,
        pages.page_scopes(code, period),
        (code or "*", sorted(request.GET.lists())),
        context,
        request=request,
        cache=not pages.is_future(period),
    )


def _area(code: str | None) -> Area | None:
    return get_object_or_404(Area, code=code) if code is not None else None


def _dashboard(request, code: str | None):
    period, error = _period(request.GET)
    holder: dict = {}
    part = _part(
        request,
        "scorecard",
        code,
        period,
        lambda: _dashboard_context(request, holder["area"], period, _period_form(request.GET, error)),
    )
    if kept := pagecache.kept_page(request, part):
        return kept
    area = holder["area"] = _area(code)  # read after the versions, as what is shown
    suggestions_url = (
        reverse("proposals:proposal-from-reports", args=[area.code])
        if area is not None and request.user.has_perm("proposals.propose_from_reports", area)
        else None
    )
    return pagecache.whole_page(
        request,
        part,
        lambda: render(
            request,
            "scorecard/dashboard.html",
            {"part": part, "area": area, "period": period, "suggestions_url": suggestions_url},
        ),
    )


def _quick_periods(period):
    """This month, this quarter, this year: one click each, the current one marked."""
    choices = [("month", _("This month")), ("quarter", _("This quarter")), ("year", _("This year"))]
    today = timezone.localdate()
    current = {
        "month": (today.year, today.month),
        "quarter": (today.year, (today.month - 1) // 3 + 1),
        "year": (today.year,),
    }
    out = []
    for kind, label in choices:
        here = (
            period.kind == kind
            and {
                "month": (period.start.year, period.start.month),
                "quarter": (period.start.year, (period.start.month - 1) // 3 + 1),
                "year": (period.start.year,),
            }[kind]
            == current[kind]
        )
        out.append({"kind": kind, "label": label, "current": here})
    return out


def city_scorecard(request):
    return _dashboard(request, None)


def area_scorecard(request, code):
    return _dashboard(request, code)


def _report_context(area: Area | None, year: int) -> dict:
    from .. import pages, selectors
    from ..period import year_period

    with selectors.one_computation(keep=True):  # the day's numbers kept (scorecard.selectors.cache)
        report = selectors.yearly_report(area, year)
        valid_until = pages.valid_until(area, year_period(year))  # as the kept numbers know it
    totals = {
        "award": sum((row["award"] for row in report["projects"]), Decimal(0)),
        "paid": sum((row["paid"] for row in report["projects"]), Decimal(0)),
    }
    return {
        "area": area,
        "year": year,
        "report": report,
        "totals": totals,
        "card": report,
        "crumbs": _area_links(area, include_self=True),
        "current": _("Yearly report %(year)s") % {"year": year},
        "dashboard_url": (
            reverse("scorecard:scorecard-area", args=[area.code]) if area else reverse("scorecard:scorecard-city")
        )
        + f"?period=year&year={year}",
        "generated": timezone.localtime(),
        "valid_until": valid_until,
    }


def _report(request, code: str | None, year: int):
    from ..period import year_period

    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    holder: dict = {}
    part = _part(request, "scorecard-report", code, year_period(year), lambda: _report_context(holder["area"], year))
    if kept := pagecache.kept_page(request, part):
        return kept
    area = holder["area"] = _area(code)  # read after the versions, as what is shown
    return pagecache.whole_page(
        request,
        part,
        lambda: render(request, "scorecard/report.html", {"part": part, "area": area, "year": year}),
    )


def city_report(request, year):
    return _report(request, None, year)


def area_report(request, code, year):
    return _report(request, code, year)
