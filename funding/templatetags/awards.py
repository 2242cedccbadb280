"""How an award was computed, in words: each step of the arithmetic (code, figures) as one sentence."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

from civic.money import format_yuan

from ..models import AdvanceCondition, AwardStage, AwardStatus

register = template.Library()


def _number(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal(0)


def _money(value) -> str:
    """A figure of a stored step (text) as an amount: unreadable text reads as zero."""
    return format_yuan(_number(value))


def _percent(share) -> str:
    """0.3 → "30%", 0.0423728… → "4.2%" (one decimal at most, no trailing zeros)."""
    value = (_number(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value.normalize():f}"
    return f"{text}%"


def _score(value) -> str:
    value = _number(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value.normalize():f}"


def step_sentence(code: str, figures: dict, stage: str = AwardStage.PROVISIONAL) -> str:
    """One step of `funding.subsidy` as a translated sentence with its figures."""
    f = figures or {}
    if code == "share":
        params = {"base": _money(f.get("base")), "share": _percent(f.get("share")), "amount": _money(f.get("amount"))}
        if stage == AwardStage.SETTLEMENT:
            return _("Verified cost %(base)s × subsidy share %(share)s = %(amount)s") % params
        return _("Approved budget %(base)s × subsidy share %(share)s = %(amount)s") % params
    if code == "project_cap":
        return _("Above the cap per project, so the cap of %(cap)s counts") % {"cap": _money(f.get("cap"))}
    if code == "area_year_cap":
        return _("Of this year's area cap of %(cap)s, %(used)s is already used: only %(left)s is left") % {
            "cap": _money(f.get("cap")),
            "used": _money(f.get("used")),
            "left": _money(f.get("amount")),
        }
    if code == "min_self_funded_share":
        return _("Residents' self-funded share %(value)s is below the minimum of %(minimum)s: the award is zero") % {
            "value": _percent(f.get("value")),
            "minimum": _percent(f.get("minimum")),
        }
    if code == "min_acceptance_score":
        return _("Acceptance score %(value)s is below the minimum of %(minimum)s: the award is zero") % {
            "value": _score(f.get("value")),
            "minimum": _score(f.get("minimum")),
        }
    if code == "min_satisfaction_rate":
        return _("Residents' satisfaction rate %(value)s is below the minimum of %(minimum)s: the award is zero") % {
            "value": _percent(f.get("value")),
            "minimum": _percent(f.get("minimum")),
        }
    if code == "settlement":
        params = {
            "award": _money(f.get("award")),
            "paid": _money(f.get("paid")),
            "payout": _money(f.get("payout")),
            "recovery": _money(f.get("recovery")),
        }
        if _number(f.get("recovery")) > 0:
            return _("Award %(award)s; advances paid %(paid)s, so %(recovery)s is to be recovered") % params
        if _number(f.get("payout")) > 0:
            return _("Award %(award)s; advances paid %(paid)s, so the settlement pays %(payout)s") % params
        return _("Award %(award)s; advances paid %(paid)s: nothing more to pay or recover") % params
    if code == "advance":
        return _("%(share)s of the provisional award is %(entitled)s; %(paid)s already paid, so %(due)s is due") % {
            "share": _percent(f.get("share")),
            "entitled": _money(f.get("entitled")),
            "paid": _money(f.get("paid")),
            "due": _money(f.get("due")),
        }
    details = ", ".join(f"{key} {value}" for key, value in f.items())
    return f"{code}: {details}" if details else str(code)


@register.filter
def explain_step(step, stage=AwardStage.PROVISIONAL):
    """`{{ step|explain_step:award.stage }}` for one stored step [code, figures]."""
    try:
        code, figures = step
    except (TypeError, ValueError):
        return ""
    return step_sentence(code, figures, stage)


@register.filter
def explain_award(award) -> list[str]:
    """Every step of an award, in order, as sentences."""
    return [explain_step(step, award.stage) for step in (award.steps or [])]


@register.filter
def condition_label(condition) -> str:
    try:
        return str(AdvanceCondition(condition).label)
    except ValueError:
        return condition or ""


@register.filter
def award_badge(award) -> str:
    """The CSS class of an award's status badge."""
    return {
        AwardStatus.NOTICE: "badge badge-wait",
        AwardStatus.APPROVED: "badge badge-ok",
        AwardStatus.CANCELLED: "badge badge-late",
    }.get(award.status, "badge")
