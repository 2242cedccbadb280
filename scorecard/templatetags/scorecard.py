"""Figures as people read them (per cent, working days, yuan) and the scorecard's charts as template tags.
Amounts are written the one way, by `civic.money.format_yuan` (in templates: `{% load money %}`, `|yuan`).

The numbers come from `scorecard.selectors`; the charts from the pure `scorecard.charts`; this module
only formats and words them (translated) and marks the SVG safe.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civic.money import format_yuan

from .. import charts

register = template.Library()

DASH = "—"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _trim(number: Decimal) -> str:
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@register.filter
def share_pct(share, places: int = 1) -> str:
    """A share (0.734) in per cent, rounded half up ("73.4%"); None reads as a dash."""
    if share is None or share == "":
        return DASH
    quantum = Decimal(1).scaleb(-int(places))
    return f"{_trim((_decimal(share) * 100).quantize(quantum, rounding=ROUND_HALF_UP))}%"


@register.filter
def days(value) -> str:
    """Working days with at most one decimal ("3.5"); None reads as a dash."""
    if value is None or value == "":
        return DASH
    return _trim(_decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def score(value) -> str:
    if value is None or value == "":
        return DASH
    return _trim(_decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@register.filter
def figure_number(figure) -> str:
    """The big number of a figure, without its unit."""
    value = figure.get("value")
    unit = figure.get("unit")
    if value is None:
        return DASH
    if unit == "share":
        return share_pct(value)[:-1]
    if unit == "days":
        return days(value)
    if unit == "yuan":
        return format_yuan(value)
    if unit == "score":
        return score(value)
    return f"{value}"


UNITS = {
    "share": "%",
    "days": gettext_lazy("working days"),
    "score": gettext_lazy("of 5"),
    "count": "",
    "yuan": "",
}


@register.filter
def figure_unit(figure) -> str:
    if figure.get("value") is None:
        return ""
    return str(UNITS.get(figure.get("unit"), ""))


def _count(value, unit: str = "") -> str:
    if value is None:
        return DASH
    if unit == "yuan":
        return format_yuan(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"{int(value)}"
    return f"{value}"


# What the numerator and denominator of each figure count, in words; `d` picks the plural form.
WORDS = {
    "median_answer_days": lambda d: ngettext(
        "the middle of %(d)s answered proposal published in the period",
        "the middle of %(d)s answered proposals published in the period",
        d,
    ),
    "answered_in_time_share": lambda d: ngettext(
        "%(n)s of %(d)s proposal was answered within the deadline",
        "%(n)s of %(d)s proposals were answered within the deadline",
        d,
    ),
    "overdue_now": lambda d: _("proposals waiting past their answer deadline today"),
    "casework_response_rate": lambda d: ngettext(
        "%(n)s of %(d)s report was accepted within the response limit",
        "%(n)s of %(d)s reports were accepted within the response limit",
        d,
    ),
    "casework_resolution_rate": lambda d: ngettext(
        "%(n)s of %(d)s accepted report was closed after a resolution",
        "%(n)s of %(d)s accepted reports were closed after a resolution",
        d,
    ),
    "casework_median_days": lambda d: ngettext(
        "the middle of %(d)s report closed after a resolution",
        "the middle of %(d)s reports closed after a resolution",
        d,
    ),
    "casework_online_share": lambda d: ngettext(
        "%(n)s of %(d)s report came in online", "%(n)s of %(d)s reports came in online", d
    ),
    "casework_satisfaction_rate": lambda d: ngettext(
        "%(n)s of %(d)s rated report was fairly satisfied or better",
        "%(n)s of %(d)s rated reports were fairly satisfied or better",
        d,
    ),
    "quorum_share": lambda d: ngettext(
        "%(n)s of %(d)s scheduled session reached quorum", "%(n)s of %(d)s scheduled sessions reached quorum", d
    ),
    "minutes_share": lambda d: ngettext(
        "%(n)s of %(d)s session with decisions has published minutes",
        "%(n)s of %(d)s sessions with decisions have published minutes",
        d,
    ),
    "points_of_order_raised": lambda d: _("points of order raised in sessions"),
    "points_of_order_upheld": lambda d: _("points of order the chair upheld"),
    "participation_share": lambda d: ngettext(
        "%(n)s of %(d)s verified resident took part", "%(n)s of %(d)s verified residents took part", d
    ),
    "online_share": lambda d: ngettext(
        "%(n)s of %(d)s proposal came in online", "%(n)s of %(d)s proposals came in online", d
    ),
    "enterprise_social_proposal_share": lambda d: ngettext(
        "%(n)s of %(d)s proposal came from enterprises and social organisations",
        "%(n)s of %(d)s proposals came from enterprises and social organisations",
        d,
    ),
    "enterprise_social_cofunding_share": lambda d: _(
        "%(n)s of %(d)s co-funding came from enterprises and social organisations"
    ),
    "organisations_taking_part": lambda d: _("different organisations proposed, co-sponsored, co-funded or built"),
    "satisfaction_rate": lambda d: ngettext(
        "%(n)s of %(d)s rating was fairly satisfied or better",
        "%(n)s of %(d)s ratings were fairly satisfied or better",
        d,
    ),
    "average_score": lambda d: ngettext(
        "average of %(d)s rating (very satisfied = 5, very dissatisfied = 1)",
        "average of %(d)s ratings (very satisfied = 5, very dissatisfied = 1)",
        d,
    ),
    "notices_on_time_share": lambda d: ngettext(
        "%(n)s of %(d)s outcome notice was published within its deadline",
        "%(n)s of %(d)s outcome notices were published within their deadline",
        d,
    ),
    "objections_on_time_share": lambda d: ngettext(
        "%(n)s of %(d)s objection was answered within its deadline",
        "%(n)s of %(d)s objections were answered within their deadline",
        d,
    ),
}


@register.filter
def figure_words(figure) -> str:
    """The numerator and denominator in words: "12 of 15 proposals were answered within the deadline"."""
    numerator, denominator = figure.get("numerator"), figure.get("denominator")
    words = WORDS.get(figure.get("key"))
    unit = "yuan" if figure.get("key") == "enterprise_social_cofunding_share" else ""
    plural = int(denominator) if denominator is not None else 0
    if words is None:
        if numerator is None or denominator is None:
            return ""
        pattern = _("%(n)s of %(d)s")
    else:
        pattern = words(plural)
    if ("%(d)s" in pattern and not denominator) or ("%(n)s" in pattern and numerator is None):
        return _("nothing to count in this period")
    return pattern % {"n": _count(numerator, unit), "d": _count(denominator, unit)}


def _shares(figures):
    return [f for f in figures if f.get("unit") == "share"]


@register.simple_tag
def governance_chart(governance, uid: str):
    """The shares of one governance as bars on a 0–100 % scale (None when it has no share figure)."""
    rows = [(str(f["label"]), f.get("value"), share_pct(f.get("value"))) for f in _shares(governance["figures"])]
    if not rows:
        return ""
    desc = "; ".join(f"{label}: {text}" for label, _v, text in rows)
    title = _("Shares of %(governance)s, from 0 to 100%%") % {"governance": governance["label"]}
    return mark_safe(charts.bar_chart(rows, title=title, desc=desc, uid=uid, max_value=1, width=310))


@register.filter
def share_figures(figures):
    return _shares(figures)


def _note(count, first):
    """The share of all proposals that reached this step (the steps are not nested: an advance can be paid
    before a project is reported complete, so "of the step before" could exceed 100 %)."""
    if not first:
        return ""
    return _("%(share)s of proposed") % {"share": share_pct(Decimal(count or 0) / Decimal(first), 0)}


@register.simple_tag
def funnel_chart(steps, uid: str):
    """Proposed → … → paid as a narrowing funnel; each step says its share of all proposed."""
    rows = [(str(s["label"]), s.get("count") or 0, f"{s.get('count') or 0}") for s in steps]
    first = steps[0].get("count") if steps else 0
    notes = [""] + [_note(s.get("count"), first) for s in steps[1:]]
    desc = "; ".join(f"{label}: {text}" for label, _v, text in rows)
    title = _("From proposal to payment: how many items reached each step")
    return mark_safe(charts.funnel(rows, title=title, desc=desc, uid=uid, notes=notes))


@register.filter
def funnel_notes(steps):
    """[(step, share of all proposed as text)] for the table behind the funnel chart."""
    first = steps[0].get("count") if steps else 0
    return [(s, _note(s.get("count"), first) if i else "") for i, s in enumerate(steps)]


@register.simple_tag
def share_chart(parts, uid: str, title: str, value_key: str = "count"):
    """Parts of a whole (proposals by actor kind, co-funding by source) as one stacked bar with a legend."""

    def text(p):
        amount = format_yuan(p.get(value_key)) if value_key == "amount" else _count(p.get(value_key))
        return f"{amount} · {share_pct(p.get('share'))}"

    rows = [(str(p["label"]), p.get(value_key), text(p)) for p in parts]
    desc = "; ".join(f"{label}: {t}" for label, _v, t in rows)
    return mark_safe(
        charts.share_bar(
            rows,
            title=title,
            desc=desc or _("No records in this period."),
            uid=uid,
            empty_text=_("No records in this period."),
        )
    )


@register.simple_tag
def compare_chart(rows, figure, uid: str):
    """One key figure across the child areas (a small multiple): one bar per child area."""
    unit = figure.get("unit")
    key = figure["key"]
    data = []
    for row in rows:
        value = row["figures"].get(key)
        shown = figure_number({"value": value, "unit": unit})
        if value is not None and unit == "share":
            shown += "%"
        data.append((row["area"].name, value, shown))
    desc = "; ".join(f"{label}: {t}" for label, _v, t in data)
    title = _("%(figure)s by area") % {"figure": figure["label"]}
    return mark_safe(charts.bar_chart(data, title=title, desc=desc, uid=uid, max_value=1 if unit == "share" else None))


@register.filter
def lookup(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.simple_tag
def figure_cell(value, unit):
    """A figure's value in a table cell, with its unit."""
    if value is None:
        return DASH
    number = figure_number({"value": value, "unit": unit})
    if unit == "share":
        return f"{number}%"
    if unit == "days":
        return _("%(n)s working days") % {"n": number}
    return number


@register.simple_tag
def hot_spot_chart(spots, uid: str):
    """The hot spots' report counts as bars, labelled "cell · category", in the table's order."""
    rows = [(f"{s.cell_name} · {s.category_name}", s.reports, f"{s.reports}") for s in spots]
    desc = "; ".join(
        _("%(spot)s: %(reports)s reports, satisfaction %(satisfaction)s")
        % {"spot": label, "reports": text, "satisfaction": share_pct(s.satisfaction_rate)}
        for (label, _v, text), s in zip(rows, spots, strict=True)
    )
    title = _("Hot spots of small matters: reports per grid cell and category")
    return mark_safe(
        charts.bar_chart(
            rows,
            title=title,
            desc=desc or _("No records in this period."),
            uid=uid,
            empty_text=_("No records in this period."),
        )
    )
