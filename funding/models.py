"""Funding: subsidy policies (以奖代补), versioned per area and inherited down the area tree."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import AppendOnlyModel, Area
from civic.models import Channel as ActChannel
from civic.money import amount_field
from civic.states import StateMachine

from . import chain, subsidy


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
    cap_per_project = amount_field(_("cap per project (yuan)"), null=True, blank=True)
    cap_per_area_year = amount_field(_("cap per area and calendar year (yuan)"), null=True, blank=True)
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

    def get_absolute_url(self):
        return reverse("funding:subsidy-policy", kwargs={"code": self.area.code})

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


# --- micro-projects ---------------------------------------------------------------------------------


class ProjectState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project state", "planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("project state", "in progress")
    COMPLETED = "completed", pgettext_lazy("project state", "completion reported")
    ACCEPTED = "accepted", pgettext_lazy("project state", "accepted at inspection")
    CLOSED = "closed", pgettext_lazy("project state", "closed")
    SUSPENDED = "suspended", pgettext_lazy("project state", "suspended")
    CANCELLED = "cancelled", pgettext_lazy("project state", "cancelled")


# Which state may follow which; one service per arrow (funding.services), which moves the
# project with PROJECT_STATES.move (guard, save, audit row "project.<state>").
PROJECT_STATES = StateMachine(
    ProjectState,
    {
        ProjectState.PLANNED: {ProjectState.IN_PROGRESS, ProjectState.SUSPENDED, ProjectState.CANCELLED},
        ProjectState.IN_PROGRESS: {ProjectState.COMPLETED, ProjectState.SUSPENDED, ProjectState.CANCELLED},
        ProjectState.COMPLETED: {ProjectState.ACCEPTED, ProjectState.IN_PROGRESS, ProjectState.SUSPENDED},
        ProjectState.ACCEPTED: {ProjectState.CLOSED, ProjectState.SUSPENDED},
        ProjectState.SUSPENDED: {
            ProjectState.PLANNED,
            ProjectState.IN_PROGRESS,
            ProjectState.COMPLETED,
            ProjectState.ACCEPTED,
            ProjectState.CANCELLED,
        },
        ProjectState.CLOSED: set(),
        ProjectState.CANCELLED: set(),
    },
    noun="project",
    refusal=_("A project that is “%(current)s” cannot become “%(target)s”."),
)


class MicroProject(models.Model):
    """A micro-project (微项目): usually an adopted proposal being built, with its money and its checks."""

    proposal = models.OneToOneField(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
    )
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="projects")
    area_path = models.CharField(max_length=400, editable=False)
    title = models.CharField(_("title"), max_length=80)
    scope = models.TextField(_("scope of work"), max_length=5000)
    location = models.CharField(_("location"), max_length=120, blank=True)
    implementer = models.ForeignKey(
        "civic.Organisation", verbose_name=_("implementer"), on_delete=models.PROTECT, related_name="projects"
    )
    budget = amount_field(_("approved budget (yuan)"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    state = models.CharField(_("state"), max_length=20, choices=ProjectState.choices, default=ProjectState.PLANNED)
    suspended_from = models.CharField(max_length=20, choices=ProjectState.choices, blank=True)
    state_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("work started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completion reported"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    completion_report = models.TextField(_("completion report"), blank=True, max_length=5000)
    rework_count = models.PositiveSmallIntegerField(_("rework rounds"), default=0)

    class Meta:
        verbose_name = _("micro-project")
        verbose_name_plural = _("micro-projects")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-created_at"], name="funding_project_state"),
            models.Index(fields=["area_path"], name="funding_project_area_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["implementer", "-created_at"], name="funding_project_implementer"),
            # the public list, newest first (all areas; an area's subtree reads funding_project_area_path)
            models.Index(fields=["-created_at", "-id"], name="funding_project_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="funding_project_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="funding_project_dates"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("funding:project-detail", args=[self.pk])


class BudgetLine(models.Model):
    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="budget_lines")
    position = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(_("item"), max_length=120)
    amount = amount_field(_("amount (yuan)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="funding_budget_line_not_negative")]

    def __str__(self):
        return f"{self.item}: {self.amount}"


# --- co-funding (共建共享) -------------------------------------------------------------------------------


class FundingSource(models.TextChoices):
    GOVERNMENT = "government", _("government subsidy")
    ENTERPRISE = "enterprise", _("enterprise")
    SOCIAL = "social", _("social organisation")
    RESIDENTS = "residents", _("residents' self-raised money")
    IN_KIND = "in_kind", _("in-kind contribution")


class Commitment(models.Model):
    """A promise to pay (or give in kind) towards a project; receipts record what arrived."""

    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="commitments")
    source = models.CharField(_("source"), max_length=20, choices=FundingSource.choices)
    funder = models.CharField(_("who pays"), max_length=120)
    organisation = models.ForeignKey(
        "civic.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    amount = amount_field(_("amount or value (yuan)"))
    description = models.CharField(_("what is given"), max_length=200, blank=True)
    from_pledge = models.OneToOneField(
        "proposals.CoSponsor", null=True, blank=True, on_delete=models.PROTECT, related_name="commitment"
    )
    received = amount_field(_("received (yuan)"), default=Decimal("0.00"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("committed"), default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["project", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_commitment_positive"),
            models.CheckConstraint(condition=Q(received__gte=0), name="funding_commitment_received_not_negative"),
        ]

    def __str__(self):
        return f"{self.funder}: {self.amount}"

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal("0.00"), self.amount - self.received)


class Receipt(models.Model):
    """Money (or goods, valued) that arrived for a commitment."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="receipts")
    amount = amount_field(_("amount (yuan)"))
    received_on = models.DateField(_("received on"))
    reference = models.CharField(_("voucher or bank reference"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["commitment", "received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="funding_receipt_positive")]

    def __str__(self):
        return f"{self.commitment.funder}: {self.amount}"


# --- milestones and progress -------------------------------------------------------------------------


class Milestone(models.Model):
    project = models.ForeignKey(MicroProject, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("milestone"), max_length=120)
    due_on = models.DateField(_("due on"))
    is_midpoint = models.BooleanField(_("mid-point milestone"), default=False)
    reached_at = models.DateTimeField(_("reached"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "due_on", "position", "id"]
        indexes = [models.Index(fields=["reached_at", "due_on"], name="funding_milestone_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_midpoint=True), name="funding_one_midpoint_per_project"
            )
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.reached_at is None and self.due_on < today


class ProgressReport(models.Model):
    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="reports")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("what was done"), max_length=5000)
    spend_to_date = amount_field(_("spent to date (yuan)"))
    reported_on = models.DateField(_("date"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["project", "-reported_on", "-id"]

    def __str__(self):
        return f"{self.project_id} · {self.reported_on}"


def _photo_path(instance, filename):
    return f"projects/{timezone.now():%Y/%m}/{filename}"


class ProjectPhoto(models.Model):
    """A re-encoded photo (no metadata) attached to a progress report, a completion report or an inspection."""

    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="photos")
    report = models.ForeignKey(ProgressReport, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    inspection = models.ForeignKey("Inspection", null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.image.name


# --- inspection (验收) and satisfaction (满意度) ------------------------------------------------------------


class InspectionResult(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("inspection result", "accepted")
    REWORK = "rework", pgettext_lazy("inspection result", "rework needed")


class Inspection(models.Model):
    """An acceptance inspection, signed by the inspecting official; never edited (a new round is a new row)."""

    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checklist = models.JSONField(_("checklist"), default=list)  # [{"item", "score", "max"}]
    score = models.DecimalField(_("acceptance score"), max_digits=5, decimal_places=2)
    verified_cost = amount_field(_("verified cost (yuan)"))
    invoices = models.CharField(_("invoices checked"), max_length=500, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, max_length=3000)
    defects = models.TextField(_("defects to put right"), blank=True, max_length=3000)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    signed_at = models.DateTimeField(_("signed"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptance inspection")
        verbose_name_plural = _("acceptance inspections")
        ordering = ["project", "-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="funding_inspection_score_range"),
            models.CheckConstraint(
                condition=Q(result="accepted") | ~Q(defects=""), name="funding_rework_lists_defects"
            ),
        ]

    def __str__(self):
        return f"{self.project_id} · {self.get_result_display()}"


class SatisfactionLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    FAIRLY_SATISFIED = 3, _("fairly satisfied")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


class SatisfactionRating(models.Model):
    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("rating"), choices=SatisfactionLevel.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ActChannel.choices, default=ActChannel.ONLINE)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["project", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="funding_one_rating_each"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="funding_rating_level_range"),
        ]

    def __str__(self):
        return f"{self.project_id} · {self.level}"


# --- awards (以奖代补) --------------------------------------------------------------------------------------


class AwardStage(models.TextChoices):
    PROVISIONAL = "provisional", _("provisional award")
    SETTLEMENT = "settlement", _("settlement")


class AwardStatus(models.TextChoices):
    NOTICE = "notice", pgettext_lazy("award status", "under public notice")
    APPROVED = "approved", pgettext_lazy("award status", "approved")
    SUPERSEDED = "superseded", pgettext_lazy("award status", "recomputed after an objection")
    CANCELLED = "cancelled", pgettext_lazy("award status", "cancelled")


class SubsidyAward(models.Model):
    """One computed award, as noticed to the public; approval charges it to its policy area's year."""

    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="awards")
    stage = models.CharField(_("stage"), max_length=12, choices=AwardStage.choices)
    policy = models.ForeignKey(
        SubsidyPolicy, verbose_name=_("policy version"), on_delete=models.PROTECT, related_name="+"
    )
    base = amount_field(_("computed on (yuan)"))
    amount = amount_field(_("award (yuan)"))
    payout = amount_field(_("to pay at settlement (yuan)"), default=Decimal("0.00"))
    recovery = amount_field(_("to recover (yuan)"), default=Decimal("0.00"))
    steps = models.JSONField(_("how it was computed"), default=list)
    status = models.CharField(_("status"), max_length=12, choices=AwardStatus.choices, default=AwardStatus.NOTICE)
    status_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(_("noticed from"), default=timezone.now)
    notice_until = models.DateTimeField(_("public notice until"))
    objections_until = models.DateTimeField(_("objections until"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    charge_area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")  # the policy's own area
    charge_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("subsidy award")
        verbose_name_plural = _("subsidy awards")
        ordering = ["project", "computed_at", "id"]
        indexes = [
            models.Index(fields=["status", "notice_until"], name="funding_award_status"),
            models.Index(fields=["charge_area", "charge_year"], name="funding_award_area_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_award_not_negative"),
            models.UniqueConstraint(
                fields=["project", "stage"],
                condition=Q(status__in=["notice", "approved"]),
                name="funding_one_live_award_per_stage",
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.get_stage_display()} {self.amount}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection status", "awaiting an answer")
    UPHELD = "upheld", pgettext_lazy("objection status", "upheld")
    REJECTED = "rejected", pgettext_lazy("objection status", "rejected")
    CLOSED = "closed", pgettext_lazy("objection status", "closed with the cancelled award")


class AwardObjection(models.Model):
    award = models.ForeignKey(SubsidyAward, on_delete=models.PROTECT, related_name="objections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"), max_length=3000)
    created_at = models.DateTimeField(_("filed"), default=timezone.now)
    answer_due = models.DateField(_("answer due"))
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True, max_length=3000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Filed on an award that an upheld objection replaced: carried to the award that replaced it, to be
    # answered there (approval waits for it), with the award it was filed on kept here.
    carried_from = models.ForeignKey(
        SubsidyAward,
        verbose_name=_("filed on the earlier computation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["award", "created_at", "id"]
        indexes = [models.Index(fields=["status", "answer_due"], name="funding_objection_due")]

    def __str__(self):
        return f"{self.award_id} · {self.get_status_display()}"


# --- the ledger -----------------------------------------------------------------------------------------


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    RECEIPT = "receipt", _("receipt")
    AWARD = "award", _("award approved")
    ADVANCE = "advance", _("advance paid")
    SETTLEMENT = "settlement", _("settlement paid")
    RECOVERY_DUE = "recovery_due", _("to be recovered")
    RECOVERY = "recovery", _("recovered")


class LedgerEntry(AppendOnlyModel):
    """One line of the append-only ledger, in signed yuan.

    A correction is a new entry of the same kind with the opposite amount that names the entry it
    reverses (`reverses`); every balance is a plain sum per kind, corrections included. Per project:
    Σ award = the approved award; Σ advance + Σ settlement = paid out; Σ recovery_due − Σ recovery = still
    owed back. Per (area, year) of the policy's own area: Σ award = what counts against the area-year cap.

    The ORM refuses updates and deletes; a database trigger refuses them too (see AppendOnlyModel).
    """

    project = models.ForeignKey(MicroProject, on_delete=models.PROTECT, related_name="ledger")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")  # the area charged (policy area)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=14, choices=EntryKind.choices)
    amount = amount_field(_("amount (yuan)"), allow_negative=True)
    commitment = models.ForeignKey(Commitment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award = models.ForeignKey(SubsidyAward, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    condition = models.CharField(max_length=12, blank=True)  # an advance's condition
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by")
    memo = models.CharField(_("memo"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # The hash chain (funding.chain): the hash of the entry before this one, and this entry's own hash.
    prev_hash = models.CharField(_("previous entry's hash"), max_length=64, editable=False)
    entry_hash = models.CharField(_("hash"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["project", "kind"], name="funding_ledger_project"),
            models.Index(fields=["area", "year", "kind"], name="funding_ledger_area_year"),
            # the area ledger's pages in the ledger's order (keyset); each entry's running total reads its
            # project's entries of its kind through funding_ledger_project
            models.Index(fields=["created_at", "id"], name="funding_ledger_order"),
        ]
        constraints = [
            # One successor per entry: two postings that both extend the same head cannot both be written.
            models.UniqueConstraint(fields=["prev_hash"], name="funding_ledger_chain_prev_unique"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.kind} {self.amount}"

    def hashed_fields(self) -> dict:
        """This entry's content as `funding.chain.entry_hash` takes it."""
        return {
            "kind": self.kind,
            "amount": self.amount,
            "project": self.project_id,
            "area": self.area_id,
            "year": self.year,
            "award": self.award_id,
            "commitment": self.commitment_id,
            "condition": self.condition,
            "reverses": self.reverses_id,
            "memo": self.memo,
            "created_by": self.created_by_id,
            "created_at": self.created_at,
            "prev_hash": self.prev_hash,
        }

    def save(self, *args, **kwargs):
        """A new entry joins the end of the chain: with the chain held (one writer at a time), its
        `prev_hash` is the head's hash and its `entry_hash` is computed from what is stored. Whatever
        hashes a caller set are replaced. (Changes are refused by AppendOnlyModel.)"""
        if self.pk is not None:
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            _hold_chain(using)
            head = LedgerEntry.objects.using(using).order_by("-id").values_list("entry_hash", flat=True).first()
            self.prev_hash = head or chain.GENESIS
            self.created_at = self.created_at or timezone.now()
            self.entry_hash = chain.entry_hash(**self.hashed_fields())
            super().save(*args, **kwargs)


# A fixed key for PostgreSQL's transaction-level advisory lock on the ledger chain. A row lock on the head
# entry would not do: a second writer waiting on it reads the old head once it gets it, and an empty chain
# has no row to lock. SQLite lets one writer at a time anyway.
LEDGER_CHAIN_LOCK = 0x1ED6E5


def _hold_chain(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LEDGER_CHAIN_LOCK])


def ledger_head(using: str | None = None) -> str:
    """The hash of the newest ledger entry: what notices and exports publish (GENESIS for an empty ledger)."""
    manager = LedgerEntry.objects.using(using) if using else LedgerEntry.objects
    return manager.order_by("-id").values_list("entry_hash", flat=True).first() or chain.GENESIS
