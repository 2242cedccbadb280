"""From raw numbers to what the scorecard shows: the figures, the funnel and the shared-governance
breakdowns."""

from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from civic.models import Area
from civic.money import as_amount
from civic.workdays import working_days_between
from funding.models import FundingSource

from ..period import Period
from . import consultations as consultation_numbers
from .common import ratio
from .definitions import (
    ACTOR_KINDS,
    FEN,
    FIGURES,
    FUNNEL,
    FUNNEL_DEFINITION,
    GOVERNANCES,
    ORGANISED_KINDS,
    ORGANISED_SOURCES,
    TENTH,
)


def _figure(key: str, value, numerator=None, denominator=None) -> dict:
    _governance, label, unit, definition = FIGURES[key]
    return {
        "key": key,
        "label": label,
        "value": value,
        "unit": unit,
        "numerator": numerator,
        "denominator": denominator,
        "definition": definition,
    }


def figures_of(n: dict) -> dict[str, dict]:
    p = n["proposals"]
    total = p.get("total", 0)
    answered_days = [working_days_between(pub, ans) for pub, ans, _due in n["answers"] if ans is not None]
    middle = median(answered_days) if answered_days else None
    in_time = sum(1 for _pub, ans, due in n["answers"] if ans is not None and ans <= due)
    s = n["sessions"]
    counted_sessions = s.get("opened", 0) + s.get("not_held", 0) + s.get("missed", 0)
    points = n["points"]
    money = {source: as_amount(n["cofunding"].get(source)) for source in FundingSource.values}
    money_total = sum(money.values(), Decimal(0))
    organised_money = sum((money[source] for source in ORGANISED_SOURCES), Decimal(0))
    organised_proposals = sum(p.get(f"actor_{kind}", 0) for kind in ORGANISED_KINDS)
    r = n["ratings"]
    rated = r.get("total", 0)
    o = n["objections"]
    on_time_notices, notices = n["notices"]
    cw = n["casework"]
    figures = [
        _figure(
            "median_answer_days",
            Decimal(str(middle)).quantize(TENTH, ROUND_HALF_UP) if middle is not None else None,
            None,
            len(answered_days),
        ),
        _figure("answered_in_time_share", ratio(in_time, len(n["answers"])), in_time, len(n["answers"])),
        _figure("overdue_now", n["overdue_now"], n["overdue_now"], None),
        _figure("casework_response_rate", cw.response_rate, cw.response_in_time, cw.response_counted),
        _figure("casework_resolution_rate", cw.resolution_rate, cw.resolved, cw.resolution_counted),
        _figure("casework_median_days", cw.median_handling_days, None, cw.handled),
        _figure("quorum_share", ratio(s.get("opened", 0), counted_sessions), s.get("opened", 0), counted_sessions),
        _figure(
            "minutes_share",
            ratio(s.get("minuted", 0), s.get("decisions", 0)),
            s.get("minuted", 0),
            s.get("decisions", 0),
        ),
        _figure("points_of_order_raised", points.get("raised", 0), points.get("raised", 0), None),
        _figure("points_of_order_upheld", points.get("upheld", 0), points.get("upheld", 0), None),
        *(_figure(*figure) for figure in consultation_numbers.figures(n["consultations"])),
        _figure("participation_share", ratio(n["took_part"], n["verified"]), n["took_part"], n["verified"]),
        _figure("online_share", ratio(p.get("online", 0), total), p.get("online", 0), total),
        _figure("casework_online_share", cw.online_share, cw.online, cw.reports),
        _figure("enterprise_social_proposal_share", ratio(organised_proposals, total), organised_proposals, total),
        _figure(
            "enterprise_social_cofunding_share",
            ratio(organised_money, money_total),
            organised_money,
            money_total,
        ),
        _figure("organisations_taking_part", n["organisations"], n["organisations"], None),
        _figure("satisfaction_rate", ratio(r.get("satisfied", 0), rated), r.get("satisfied", 0), rated),
        _figure(
            "average_score",
            (Decimal(r.get("points") or 0) / rated).quantize(FEN, ROUND_HALF_UP) if rated else None,
            r.get("points") or 0,
            rated,
        ),
        _figure("casework_satisfaction_rate", cw.satisfaction_rate, cw.satisfied, cw.rated),
        _figure("notices_on_time_share", ratio(on_time_notices, notices), on_time_notices, notices),
        _figure(
            "objections_on_time_share",
            ratio(o.get("on_time", 0), o.get("total", 0)),
            o.get("on_time", 0),
            o.get("total", 0),
        ),
    ]
    return {figure["key"]: figure for figure in figures}


def funnel_of(n: dict) -> list[dict]:
    p = n["proposals"]
    counts = {"proposed": p.get("total", 0), **{key: p.get(key, 0) for key, _label in FUNNEL[1:]}}
    return [{"key": key, "label": label, "count": counts[key]} for key, label in FUNNEL]


def _shared(n: dict) -> dict:
    p = n["proposals"]
    total = p.get("total", 0)
    money = {source: as_amount(n["cofunding"].get(source)) for source in FundingSource.values}
    money_total = sum(money.values(), Decimal(0))
    return {
        "proposals_by_actor": [
            {
                "kind": kind,
                "label": label,
                "count": p.get(f"actor_{kind}", 0),
                "share": ratio(p.get(f"actor_{kind}", 0), total),
            }
            for kind, label in ACTOR_KINDS
        ],
        "cofunding_by_source": [
            {"source": source, "label": label, "amount": money[source], "share": ratio(money[source], money_total)}
            for source, label in FundingSource.choices
        ],
        "organisations": n["organisations"],
    }


def card(area: Area | None, period: Period, n: dict) -> dict:
    figures = figures_of(n)
    return {
        "area": area,
        "period": period,
        "governances": [
            {
                "key": key,
                "label": label,
                "figures": [figure for figure in figures.values() if FIGURES[figure["key"]][0] == key],
            }
            for key, label in GOVERNANCES
        ],
        "funnel": funnel_of(n),
        "funnel_definition": FUNNEL_DEFINITION,
        "shared": _shared(n),
        "hot_spots": n["hot_spots"],
    }
