"""关键小事: small problems reported in a grid cell, handled by a unit within a time limit, rated by the reporter.

The loop (docs/casework.md) is the transition table `REPORT_STATES` below; every service moves a report
with `REPORT_STATES.move` (guard, write, audit row "casework_report.<state>") and appends a `ReportEvent`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import AppendOnlyModel, Area, Organisation
from civic.states import StateMachine
from civic.text import localized

MAX_PHOTOS = 6
MAX_TEXT = 2000

# --- handling units (承办单位) --------------------------------------------------------------------------------


class UnitKind(models.TextChoices):
    """What kind of body handles a category of problems; a category names one, units are of one."""

    CITY_MANAGEMENT = "city_management", _("urban management (城管)")
    SANITATION = "sanitation", _("sanitation (环卫)")
    STREET_LIGHTING = "street_lighting", _("street lighting")
    ROADS = "roads", _("roads and municipal facilities")
    DRAINAGE = "drainage", _("drainage and water")
    GREENING = "greening", _("parks and greening")
    TRAFFIC = "traffic", _("traffic police")
    ENVIRONMENT = "environment", _("environmental protection")
    PROPERTY = "property", _("property management company")
    UTILITY = "utility", _("utility company")
    COMMUNITY = "community", _("community residents' committee")


class Unit(models.Model):
    """A handling unit: a civic organisation (a street office department, a property company, a utility)
    whose members handle the reports dispatched to it. What it serves is its `UnitService` rows."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="casework_unit"
    )
    kind = models.CharField(_("kind of unit"), max_length=20, choices=UnitKind.choices)
    phone = models.CharField(_("public phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("takes reports"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["organisation__name"]
        indexes = [models.Index(fields=["kind", "is_active"], name="casework_unit_kind")]

    def __str__(self):
        return self.organisation.name

    def get_absolute_url(self) -> str:
        return reverse("casework:queue") + f"#unit-{self.pk}"

    @property
    def name(self) -> str:
        return self.organisation.name


class UnitService(models.Model):
    """A unit serves one category (by key) in an area and everything under it."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="services")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=400, editable=False)
    category_key = models.CharField(_("category"), max_length=40)

    class Meta:
        verbose_name = _("area and category served")
        verbose_name_plural = _("areas and categories served")
        constraints = [
            models.UniqueConstraint(fields=["unit", "area", "category_key"], name="casework_unit_service_unique")
        ]
        indexes = [models.Index(fields=["category_key", "area_path"], name="casework_service_lookup")]

    def __str__(self):
        return f"{self.unit_id} · {self.category_key} · {self.area_id}"


# --- categories (事项类别) -----------------------------------------------------------------------------------


class Category(models.Model):
    """A category of small problems defined in an area. It applies to the area and everything under it
    unless an area below defines a category with the same `key`, which overrides it there (its limits,
    unit, texts) — or withdraws it there when that row is not `is_offered`."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="casework_categories")
    area_path = models.CharField(max_length=400, editable=False)
    key = models.SlugField(_("key"), max_length=40, help_text=_("The same key in an area below overrides this one."))
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    unit_kind = models.CharField(_("kind of unit responsible"), max_length=20, choices=UnitKind.choices)
    response_hours = models.PositiveSmallIntegerField(
        _("response limit (working hours)"), validators=[MinValueValidator(1), MaxValueValidator(400)]
    )
    handling_days = models.PositiveSmallIntegerField(
        _("handling limit (working days)"), validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    default_unit = models.ForeignKey(
        Unit, verbose_name=_("default unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requires_after_photo = models.BooleanField(_("a photo after handling is required"), default=False)
    clock_stop_allowed = models.BooleanField(
        _("the clock may be stopped (e.g. waiting for the reporter)"), default=False
    )
    is_offered = models.BooleanField(_("offered here"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("category of small matters")
        verbose_name_plural = _("categories of small matters")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["area", "key"], name="casework_category_key_per_area"),
            models.CheckConstraint(
                condition=Q(response_hours__gte=1, handling_days__gte=1), name="casework_category_limits_positive"
            ),
        ]
        indexes = [models.Index(fields=["key", "area_path"], name="casework_category_key_path")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


# --- reports (诉求) -------------------------------------------------------------------------------------------


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("report state", "submitted")
    ACCEPTED = "accepted", pgettext_lazy("report state", "accepted")
    DISPATCHED = "dispatched", pgettext_lazy("report state", "dispatched")
    IN_PROGRESS = "in_progress", pgettext_lazy("report state", "being handled")
    RESOLVED = "resolved", pgettext_lazy("report state", "resolved, waiting for the rating")
    CLOSED = "closed", pgettext_lazy("report state", "closed")
    REJECTED = "rejected", pgettext_lazy("report state", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("report state", "withdrawn")
    MERGED = "merged", pgettext_lazy("report state", "merged")
    REFERRED = "referred", pgettext_lazy("report state", "referred elsewhere")


S = ReportState

# The loop (docs/casework.md): one service per arrow (casework.services), which moves the report with
# REPORT_STATES.move and appends its ReportEvent.
REPORT_STATES = StateMachine(
    ReportState,
    {
        S.SUBMITTED: {S.ACCEPTED, S.REJECTED, S.WITHDRAWN, S.MERGED},
        S.ACCEPTED: {S.DISPATCHED, S.REFERRED, S.WITHDRAWN, S.MERGED},
        S.DISPATCHED: {S.IN_PROGRESS, S.ACCEPTED},
        S.IN_PROGRESS: {S.RESOLVED, S.ACCEPTED},
        S.RESOLVED: {S.CLOSED, S.DISPATCHED},
        S.CLOSED: set(),
        S.REJECTED: set(),
        S.WITHDRAWN: set(),
        S.MERGED: set(),
        S.REFERRED: set(),
    },
    noun="casework_report",
    refusal=_("A report that is “%(current)s” cannot become “%(target)s”."),
)

OPEN_STATES = frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED})
# Waiting for the grid worker (the response limit runs) and with a unit (the handling limit runs).
WAITING_FOR_RESPONSE = frozenset({S.SUBMITTED})
WITH_HANDLER = frozenset({S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS})
WITH_UNIT = frozenset({S.DISPATCHED, S.IN_PROGRESS})
FINAL_STATES = frozenset(state for state in S.values if REPORT_STATES.final(state))


class ReportChannel(models.TextChoices):
    ONLINE = "online", _("online, by the resident")
    PHONE = "phone", _("by phone, entered by staff")
    IN_PERSON = "in_person", _("at the door, entered by staff")
    OPEN311 = "open311", _("from a hotline system (Open311)")


def _photo_path(instance, filename):
    return f"casework/{timezone.now():%Y/%m}/{filename}"


class Report(models.Model):
    """A small problem reported in a grid cell (诉求). The reporter's identity is never public."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="reports")
    # The category's key, kept for counting across overrides (hot spots: cell × category).
    category_key = models.CharField(max_length=40, editable=False)
    cell = models.ForeignKey(
        Area, verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="casework_reports"
    )
    area_path = models.CharField(max_length=400, editable=False)  # the cell's path: the board per subtree
    place = models.CharField(_("place"), max_length=120)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    text = models.TextField(_("what is wrong"), max_length=MAX_TEXT)
    channel = models.CharField(_("how it came in"), max_length=10, choices=ReportChannel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="casework_reports",
    )
    # For someone without an account (a phone call, a visit): private, seen by handlers only.
    reporter_name = models.CharField(_("reporter's name"), max_length=60, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_id = models.CharField(_("reference in the hotline system"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=ReportState.choices, default=ReportState.SUBMITTED)
    unit = models.ForeignKey(
        Unit, verbose_name=_("handling unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    dispatcher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    referred_to = models.CharField(_("referred to"), max_length=120, blank=True)
    referral_reason = models.CharField(_("why it was referred"), max_length=1000, blank=True)
    state_reason = models.CharField(_("reason"), max_length=1000, blank=True)  # a rejection's or a return's
    resolution_note = models.TextField(_("what was done"), max_length=MAX_TEXT, blank=True)
    # Times: the three rates are computed from these.
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    response_due = models.DateTimeField(_("to be accepted by"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    handling_due = models.DateTimeField(_("to be handled by"), null=True, blank=True)
    started_at = models.DateTimeField(_("handling started"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    rating_due = models.DateTimeField(_("to be rated by"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("closed"), null=True, blank=True
    )  # also for rejected, withdrawn, merged, referred
    # Overdue: the first moment each limit was found passed (kept when the report later moves on).
    response_overdue_at = models.DateTimeField(_("response limit passed"), null=True, blank=True)
    handling_overdue_at = models.DateTimeField(_("handling limit passed"), null=True, blank=True)
    clock_stopped_at = models.DateTimeField(_("clock stopped since"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True, editable=False)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    return_count = models.PositiveSmallIntegerField(_("times returned by a unit"), default=0)
    rating_level = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)  # the last rating
    follower_count = models.PositiveIntegerField(_("also affected"), default=0)
    photo_count = models.PositiveSmallIntegerField(default=0, editable=False)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)

    class Meta:
        verbose_name = _("report of a small matter")
        verbose_name_plural = _("reports of small matters")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The public board: an area's subtree, newest first, keyset on (submitted_at, id).
            models.Index(fields=["area_path"], name="casework_report_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["-submitted_at", "-id"], name="casework_report_newest"),
            models.Index(fields=["cell", "-submitted_at", "-id"], name="casework_report_cell"),
            models.Index(fields=["state", "-submitted_at", "-id"], name="casework_report_state"),
            models.Index(fields=["category_key", "cell", "-submitted_at"], name="casework_report_hotspot"),
            # A unit's queue, by how soon it is due.
            models.Index(fields=["unit", "state", "handling_due"], name="casework_report_unit_queue"),
            # The grid workers' queue: the open reports of a subtree.
            models.Index(
                fields=["state", "area_path"],
                name="casework_report_state_path",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
            # Overdue and due-soon lists, and the tick.
            models.Index(fields=["response_due"], name="casework_report_resp_due", condition=Q(state="submitted")),
            models.Index(
                fields=["handling_due"],
                name="casework_report_handling_due",
                condition=Q(state__in=["accepted", "dispatched", "in_progress"]),
            ),
            models.Index(
                fields=["next_escalation_at"],
                name="casework_report_escalate",
                condition=Q(next_escalation_at__isnull=False),
            ),
            models.Index(fields=["rating_due"], name="casework_report_rating_due", condition=Q(state="resolved")),
            # The board filtered by category, newest first (shown reports only).
            models.Index(
                fields=["category_key", "-submitted_at", "-id"],
                name="casework_report_category_new",
                condition=Q(is_hidden=False),
            ),
            # The overdue list and the board's open and overdue filters: the open, shown reports of a subtree
            # (a few in a hundred of all reports).
            models.Index(
                fields=["area_path", "submitted_at"],
                name="casework_report_open_path",
                opclasses=["varchar_pattern_ops", ""],
                condition=Q(
                    is_hidden=False, state__in=["submitted", "accepted", "dispatched", "in_progress", "resolved"]
                ),
            ),
            models.Index(fields=["reporter", "-submitted_at"], name="casework_report_reporter"),
            models.Index(fields=["merged_into"], name="casework_report_merged_into"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | ~Q(reporter_name=""), name="casework_report_reporter_named"
            ),
            models.CheckConstraint(
                condition=Q(state="merged", merged_into__isnull=False)
                | (~Q(state="merged") & Q(merged_into__isnull=True)),
                name="casework_report_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(state="referred") | ~Q(referred_to=""), name="casework_report_referral_says_where"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["dispatched", "in_progress", "resolved"]) | Q(unit__isnull=False),
                name="casework_report_unit_when_dispatched",
            ),
            models.CheckConstraint(
                condition=Q(rating_level__isnull=True) | Q(rating_level__gte=1, rating_level__lte=5),
                name="casework_report_rating_range",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="casework_report_position_valid",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("casework:report-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def was_overdue(self) -> bool:
        return self.response_overdue_at is not None or self.handling_overdue_at is not None

    def is_overdue(self, now=None) -> bool:
        """Past the limit that runs now (and the clock not stopped)."""
        now = now or timezone.now()
        if self.clock_stopped_at is not None:
            return False
        if self.state in WAITING_FOR_RESPONSE:
            return self.response_due < now
        if self.state in WITH_HANDLER:
            return self.handling_due is not None and self.handling_due < now
        return False

    @property
    def public_position(self) -> tuple[float, float] | None:
        """The position shown to the public: rounded to three decimals (about 100 m)."""
        if self.latitude is None or self.longitude is None:
            return None
        return round(float(self.latitude), 3), round(float(self.longitude), 3)


class PhotoStage(models.TextChoices):
    REPORTED = "reported", _("when reported")
    AFTER = "after", _("after handling")


class ReportPhoto(models.Model):
    """A re-encoded photo without metadata (civic.uploads), of the problem or of the result."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="photos")
    event = models.ForeignKey("ReportEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    stage = models.CharField(_("taken"), max_length=10, choices=PhotoStage.choices, default=PhotoStage.REPORTED)
    image = models.FileField(upload_to=_photo_path)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "stage"], name="casework_photo_report")]

    def __str__(self):
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("casework:report-photo", args=[self.report_id, self.pk])


class FollowSource(models.TextChoices):
    ME_TOO = "me_too", _("also affected (我也遇到)")
    MERGED = "merged", _("reported a duplicate that was merged")


class ReportFollower(models.Model):
    """A person also affected (我也遇到): told at every step like the reporter. Never public by name."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=FollowSource.choices, default=FollowSource.ME_TOO)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person also affected")
        verbose_name_plural = _("people also affected")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="casework_one_follow_per_person")]
        indexes = [models.Index(fields=["user", "-created_at"], name="casework_follow_user")]

    def __str__(self):
        return f"{self.user_id} → {self.report_id}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("report event", "reported")
    ACCEPTED = "accepted", pgettext_lazy("report event", "accepted")
    REJECTED = "rejected", pgettext_lazy("report event", "rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("report event", "withdrawn by the reporter")
    MERGED = "merged", pgettext_lazy("report event", "merged into another report")
    MERGED_IN = "merged_in", pgettext_lazy("report event", "a duplicate was merged into this report")
    DISPATCHED = "dispatched", pgettext_lazy("report event", "dispatched")
    STARTED = "started", pgettext_lazy("report event", "handling started")
    RETURNED = "returned", pgettext_lazy("report event", "returned by the unit")
    REFERRED = "referred", pgettext_lazy("report event", "referred elsewhere")
    RESOLVED = "resolved", pgettext_lazy("report event", "resolved")
    RATED = "rated", pgettext_lazy("report event", "rated")
    REOPENED = "reopened", pgettext_lazy("report event", "reopened after a poor rating")
    CLOSED_UNRATED = "closed_unrated", pgettext_lazy("report event", "closed without a rating")
    OVERDUE = "overdue", pgettext_lazy("report event", "time limit passed")
    ESCALATED = "escalated", pgettext_lazy("report event", "escalated (督办)")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("report event", "escalation acknowledged")
    CLOCK_STOPPED = "clock_stopped", pgettext_lazy("report event", "clock stopped")
    CLOCK_RESUMED = "clock_resumed", pgettext_lazy("report event", "clock restarted")
    FOLLOWED = "followed", pgettext_lazy("report event", "someone else is also affected")


class ReportEvent(AppendOnlyModel):
    """One step in a report's story: the public timeline (append-only). `actor` is shown only when
    `actor_public` (handlers act in their role; a reporter's and a follower's identity are never shown)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    from_state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=ReportState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_public = models.BooleanField(default=False)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), max_length=MAX_TEXT, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="casework_event_report")]

    def __str__(self):
        return f"{self.report_id} · {self.kind}"


class SatisfactionLevel(models.IntegerChoices):
    """The project's five levels (product.md); 5..1 is also the score."""

    VERY_SATISFIED = 5, _("very satisfied")
    SATISFIED = 4, _("satisfied")
    FAIRLY_SATISFIED = 3, _("fairly satisfied")
    DISSATISFIED = 2, _("dissatisfied")
    VERY_DISSATISFIED = 1, _("very dissatisfied")


SATISFIED_LEVELS = frozenset({5, 4, 3})  # counted as satisfied in the satisfaction rate; below reopens


class RatingChannel(models.TextChoices):
    SELF = "self", _("by the reporter")
    CALLBACK = "callback", _("at a callback by staff (回访)")


class ReportRating(AppendOnlyModel):
    """The reporter's rating of one round of handling (round 0, then one per reopening)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("round"))
    level = models.PositiveSmallIntegerField(_("rating"), choices=SatisfactionLevel.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    channel = models.CharField(_("how"), max_length=10, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["report", "round"]
        constraints = [
            models.UniqueConstraint(fields=["report", "round"], name="casework_one_rating_per_round"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="casework_rating_level_range"),
            models.CheckConstraint(condition=Q(level__gte=3) | ~Q(comment=""), name="casework_poor_rating_has_comment"),
        ]
        indexes = [models.Index(fields=["unit", "created_at"], name="casework_rating_unit")]

    def __str__(self):
        return f"{self.report_id} · {self.round} · {self.level}"


class LimitKind(models.TextChoices):
    RESPONSE = "response", _("response limit (受理时限)")
    HANDLING = "handling", _("handling limit (办理时限)")


class Escalation(models.Model):
    """督办: a report past its limit, addressed to the role holders of an area above its cell, who must
    acknowledge it. Level 1 is the cell's parent area (the community), each further level one up."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="escalations")
    area = models.ForeignKey(Area, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=400, editable=False)
    level = models.PositiveSmallIntegerField(_("level"))
    limit = models.CharField(_("limit passed"), max_length=10, choices=LimitKind.choices)
    round = models.PositiveSmallIntegerField(default=0)  # the report's reopen count when it was raised
    created_at = models.DateTimeField(_("escalated"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    note = models.CharField(_("instruction"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("escalation (督办)")
        verbose_name_plural = _("escalations (督办)")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "limit", "round", "level"], name="casework_one_escalation_per_level"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True, acknowledged_by__isnull=True)
                | Q(acknowledged_at__isnull=False, acknowledged_by__isnull=False),
                name="casework_escalation_ack_complete",
            ),
        ]
        indexes = [
            models.Index(
                fields=["area_path"],
                name="casework_escalation_open",
                opclasses=["varchar_pattern_ops"],
                condition=Q(acknowledged_at__isnull=True),
            ),
            models.Index(fields=["report", "created_at"], name="casework_escalation_report"),
        ]

    def __str__(self):
        return f"{self.report_id} · {self.limit} · {self.level}"


class ClockStopReason(models.TextChoices):
    WAITING_FOR_REPORTER = "reporter", _("waiting for the reporter")
    WAITING_FOR_ACCESS = "access", _("waiting for access to the place")
    WAITING_FOR_WEATHER = "weather", _("waiting for suitable weather")
    WAITING_FOR_PARTS = "parts", _("waiting for parts or a supplier")


class ClockStop(models.Model):
    """A pause of the running limit, where the category allows it, with a reason. While a stop is open
    the report is not overdue; when it ends the limit moves on by the working time it lasted."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="clock_stops")
    limit = models.CharField(_("limit"), max_length=10, choices=LimitKind.choices)
    reason = models.CharField(_("reason"), max_length=10, choices=ClockStopReason.choices)
    note = models.CharField(_("details"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("stopped"), default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(_("restarted"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    working_minutes = models.PositiveIntegerField(_("working time stopped (minutes)"), default=0)

    class Meta:
        verbose_name = _("clock stop")
        verbose_name_plural = _("clock stops")
        ordering = ["report", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=Q(ended_at__isnull=True), name="casework_one_open_clock_stop"
            ),
        ]

    def __str__(self):
        return f"{self.report_id} · {self.reason}"


# --- Open311 (docs/open311.md) ------------------------------------------------------------------------------


class Open311Request(models.Model):
    """What came with a report filed through Open311 GeoReport v2: the client's token for it, the photo
    link, the attributes it sent, the key it used, and whether its grid cell still has to be placed by hand
    (the report then waits in the queue of the area its address named, or of the city)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="open311")
    token = models.CharField(max_length=40, unique=True, editable=False)
    media_url = models.URLField(_("photo link"), max_length=500, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    address_string = models.CharField(_("address given"), max_length=300, blank=True)
    email = models.EmailField(_("reporter's e-mail"), blank=True)  # private, like the name and phone
    organisation_token = models.ForeignKey(
        "civic.OrganisationToken", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    needs_placing = models.BooleanField(_("grid cell to be placed by hand"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report from Open311")
        verbose_name_plural = _("reports from Open311")
        indexes = [
            models.Index(fields=["report"], name="casework_open311_placing", condition=Q(needs_placing=True)),
        ]

    def __str__(self):
        return f"{self.report_id} · {self.token}"
