"""Funding services: one function per action, each in one transaction, each audited."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civic.errors import InvalidInput
from civic.models import Area
from civic.money import parse_amount
from civic.services import audit_record, require_perm, timeline_record
from civic.text import clean_text

from .. import subsidy
from ..models import SubsidyPolicy, percent
from .common import POLICY_NOTE_MAX, number

SHARE_FIELDS = (
    "share",
    "min_self_funded_share",
    "min_satisfaction_rate",
    "advance_start",
    "advance_midpoint",
    "advance_completion",
)
MONEY_FIELDS = ("cap_per_project", "cap_per_area_year")
DAY_FIELDS = ("rating_days", "notice_days", "objection_days", "answer_days")
ADVANCE_FIELDS = ("advance_start", "advance_midpoint", "advance_completion")


def _clean_policy(data: dict) -> dict:
    """Check every figure of a policy; the first broken one is named with its field."""
    clean: dict = {}
    for field in SHARE_FIELDS:
        value = number(data.get(field), field)
        if value is None:
            if field == "share":
                raise InvalidInput("required", _("The share of cost subsidised is required."), field=field)
            clean[field] = None if field in ADVANCE_FIELDS else Decimal(0)
            continue
        if not Decimal(0) <= value <= Decimal(1):
            raise InvalidInput("share_range", _("A share is between 0 % and 100 %."), field=field)
        if value != value.quantize(Decimal("0.0001")):
            raise InvalidInput("share_precision", _("A share has at most two decimals in per cent."), field=field)
        clean[field] = value
    for field in MONEY_FIELDS:
        clean[field] = parse_amount(data.get(field), field=field)
    score = number(data.get("min_acceptance_score"), "min_acceptance_score") or Decimal(0)
    if not Decimal(0) <= score <= Decimal(100) or score != score.quantize(subsidy.FEN):
        raise InvalidInput(
            "score_range",
            _("The acceptance score is between 0 and 100, with at most two decimals."),
            field="min_acceptance_score",
        )
    clean["min_acceptance_score"] = score
    for field in DAY_FIELDS:
        value = data.get(field)
        if value is None or value == "":
            clean[field] = SubsidyPolicy._meta.get_field(field).default
            continue
        if isinstance(value, bool) or not (isinstance(value, int) or str(value).lstrip("-").isdigit()):
            raise InvalidInput("days_invalid", _("Enter a whole number of days."), field=field)
        value = int(value)
        if not 0 < value <= 365:
            raise InvalidInput("days_range", _("Enter between 1 and 365 days."), field=field)
        clean[field] = value
    last = Decimal(0)
    for field in ADVANCE_FIELDS:
        value = clean[field]
        if value is None:
            continue
        if value < last:
            raise InvalidInput(
                "advances_not_rising",
                _("Advance shares are cumulative: each is at least the one before it."),
                field=field,
            )
        last = value
    if (
        clean["cap_per_project"] is not None
        and clean["cap_per_area_year"] is not None
        and clean["cap_per_project"] > clean["cap_per_area_year"]
    ):
        raise InvalidInput(
            "caps_inconsistent",
            _("The cap per project cannot be above the cap per area and year."),
            field="cap_per_project",
        )
    clean["note"] = clean_text(data.get("note"), field="note", limit=POLICY_NOTE_MAX)
    return clean


@transaction.atomic
def policy_publish(*, actor, area: Area, data: dict, effective_from=None) -> SubsidyPolicy:
    """Publish a new version of the area's subsidy policy; earlier versions stay as they were."""
    require_perm(
        actor, "funding.set_policy", area, _("Only an official of this area or above can set its subsidy policy.")
    )
    clean = _clean_policy(data)
    now = timezone.now()
    effective_from = effective_from or now
    if effective_from < now - timedelta(minutes=1):
        raise InvalidInput(
            "effective_in_past", _("A policy cannot come into force in the past."), field="effective_from"
        )
    Area.objects.select_for_update().get(pk=area.pk)  # versions of one area are numbered one at a time
    last = SubsidyPolicy.objects.filter(area=area).order_by("-version").values_list("version", flat=True).first()
    policy = SubsidyPolicy.objects.create(
        area=area, version=(last or 0) + 1, effective_from=effective_from, created_by=actor, created_at=now, **clean
    )
    audit_record(
        actor=actor,
        action="subsidy_policy.published",
        obj=policy,
        area=area,
        after={k: str(v) if v is not None else None for k, v in clean.items() if k != "note"},
    )
    timeline_record(
        subject=area,
        verb="subsidy.policy_published",
        params={"version": policy.version, "share": percent(policy.share)},
        url=policy.get_absolute_url(),
        actor=actor,
        area=area,
    )
    return policy
