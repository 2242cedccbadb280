"""Funding: subsidy policies (以奖代补), versioned per area and inherited down the area tree."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import Area

from . import subsidy


def percent(share: Decimal | None) -> str:
    """0.3 → "30", 0.125 → "12.5": a share as people write it in per cent."""
    if share is None:
        return ""
    return f"{(share * 100).normalize():f}"


class AdvanceCondition(models.TextChoices):
    """When an advance of the provisional award may be paid (cumulative shares, in this order)."""

    START = "start", _("at the start of work")
    MIDPOINT = "midpoint", _("at the mid-point milestone")
    COMPLETION = "completion", _("at the implementer's completion report")


def _share_field(label, **kwargs):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        **kwargs,
    )


def _money_field(label, **kwargs):
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))], **kwargs
    )


class SubsidyPolicy(models.Model):
    """One version of an area's subsidy policy. Versions are never edited: a change is a new version.

    The policy in force for an area at a moment is the newest version in force of the nearest area on
    its path (the area itself, then its parent, …), so a district's policy covers its communities until
    a community publishes its own.
    """

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="subsidy_policies")
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateTimeField(_("in force from"), default=timezone.now)
    share = _share_field(_("share of cost subsidised"))
    cap_per_project = _money_field(_("cap per project (yuan)"), null=True, blank=True)
    cap_per_area_year = _money_field(_("cap per area and calendar year (yuan)"), null=True, blank=True)
    min_self_funded_share = _share_field(_("minimum residents' self-funded share"), default=Decimal(0))
    min_acceptance_score = models.DecimalField(
        _("minimum acceptance score"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    min_satisfaction_rate = _share_field(_("minimum satisfaction rate"), default=Decimal(0))
    rating_days = models.PositiveSmallIntegerField(_("rating period (days)"), default=30)
    notice_days = models.PositiveSmallIntegerField(_("public notice (days)"), default=7)
    objection_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=7)
    answer_days = models.PositiveSmallIntegerField(_("answer and publication deadline (working days)"), default=5)
    advance_start = _share_field(_("advance at the start (cumulative share)"), null=True, blank=True)
    advance_midpoint = _share_field(_("advance at the mid-point milestone (cumulative share)"), null=True, blank=True)
    advance_completion = _share_field(_("advance at the completion report (cumulative share)"), null=True, blank=True)
    note = models.TextField(_("basis and remarks"), blank=True, max_length=2000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["area", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["area", "version"], name="funding_policy_version_unique"),
            models.CheckConstraint(condition=Q(share__gte=0, share__lte=1), name="funding_policy_share_range"),
            models.CheckConstraint(
                condition=Q(min_self_funded_share__gte=0, min_self_funded_share__lte=1)
                & Q(min_satisfaction_rate__gte=0, min_satisfaction_rate__lte=1),
                name="funding_policy_minimums_range",
            ),
            models.CheckConstraint(
                condition=(Q(cap_per_project__isnull=True) | Q(cap_per_project__gte=0))
                & (Q(cap_per_area_year__isnull=True) | Q(cap_per_area_year__gte=0)),
                name="funding_policy_caps_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["area", "effective_from"], name="funding_policy_area_from")]

    def __str__(self):
        return f"{self.area} · v{self.version}"

    @property
    def advances(self) -> list[tuple[str, Decimal]]:
        """The advance schedule as (condition, cumulative share), in the order of the conditions."""
        return [
            (condition.value, share)
            for condition, share in (
                (AdvanceCondition.START, self.advance_start),
                (AdvanceCondition.MIDPOINT, self.advance_midpoint),
                (AdvanceCondition.COMPLETION, self.advance_completion),
            )
            if share is not None
        ]

    def as_policy(self) -> subsidy.Policy:
        """The pure arithmetic's view of this version."""
        return subsidy.Policy(
            share=self.share,
            cap_per_project=self.cap_per_project,
            cap_per_area_year=self.cap_per_area_year,
            min_self_funded_share=self.min_self_funded_share,
            min_acceptance_score=self.min_acceptance_score,
            min_satisfaction_rate=self.min_satisfaction_rate,
            advances=tuple(self.advances),
        )
