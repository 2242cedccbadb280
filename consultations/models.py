"""Consultations (开门立法, 问需于民): a draft rule or plan put out for comment, article by article.

A consultation belongs to the area that consults (its officials are the drafters, with the staff they
name); for a legislature's draft sent to the area's legislative contact point (基层立法联系点) the
legislature is recorded as the originator. Its text is a version of ordered units (章 节 条 款 项 目, or
the headings of a plan); people comment on a unit or on the whole, staff enter what came in offline, and
after the window the drafters answer every opinion (alone or in a group). The final version's units name
the draft unit they replace and the opinions that changed them.

States: draft → open → closed (the window has passed; opinions are being answered) → answered (every
opinion answered) → concluded (the final text and the feedback report are published).
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

OPINION_LIMIT = 2000  # characters of an opinion
WORDING_LIMIT = 4000  # characters of a proposed replacement wording
REASON_LIMIT = 2000  # characters of the reason given with an answer
DEFAULT_ANSWER_WORKING_DAYS = 15


class ConsultationKind(models.TextChoices):
    REGULATION = "regulation", _("draft regulation")
    COMMUNITY_RULES = "community_rules", _("draft rules of a residential community")
    CONVENTION = "convention", _("residents' convention")
    PLAN = "plan", _("plan")
    OTHER = "other", pgettext_lazy("consultation kind", "other")


class Participation(models.TextChoices):
    RESIDENTS = "residents", _("residents verified in the area")
    SIGNED_IN = "signed_in", _("everyone signed in")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("consultation state", "draft")
    OPEN = "open", _("open for opinions")
    CLOSED = "closed", _("closed, opinions being answered")
    ANSWERED = "answered", _("every opinion answered")
    CONCLUDED = "concluded", _("result published")


S = ConsultationState

MACHINE = StateMachine(
    ConsultationState,
    {
        S.DRAFT: {S.OPEN},
        S.OPEN: {S.CLOSED},
        S.CLOSED: {S.ANSWERED},
        S.ANSWERED: {S.CONCLUDED},
        S.CONCLUDED: set(),
    },
    noun="consultation",
    refusal=_("A consultation that is “%(current)s” cannot become “%(target)s”."),
)

PUBLIC_STATES = {S.OPEN, S.CLOSED, S.ANSWERED, S.CONCLUDED}
# Staff enter opinions that came in offline while the window is open and until every opinion is answered
# (a letter posted before the window closed arrives later).
OFFLINE_ENTRY_STATES = {S.OPEN, S.CLOSED}
ANSWERING_STATES = {S.CLOSED}


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=ConsultationKind.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("consulting area"), on_delete=models.PROTECT, related_name="consultations"
    )
    area_path = models.CharField(max_length=400, editable=False)
    originator = models.CharField(
        _("originating legislature"),
        max_length=120,
        blank=True,
        help_text=_("For a draft sent to this area's legislative contact point: the legislature that sent it."),
    )
    drafters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("named drafters"),
        related_name="drafted_consultations",
        blank=True,
        help_text=_("Staff who answer opinions besides the officials of the consulting area."),
    )
    background = models.TextField(_("background note"), max_length=10000, blank=True)
    participation = models.CharField(
        _("who may take part"), max_length=12, choices=Participation.choices, default=Participation.RESIDENTS
    )
    organisations_take_part = models.BooleanField(_("organisations may take part as organisations"), default=True)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    answer_working_days = models.PositiveSmallIntegerField(
        _("working days to answer after closing"),
        default=DEFAULT_ANSWER_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    answer_due = models.DateField(_("answers due"), null=True, blank=True)
    opinions_public = models.BooleanField(
        _("opinions public during the window"),
        default=True,
        help_text=_("If not, only the drafters read the opinions until they are answered."),
    )
    state = models.CharField(_("state"), max_length=12, choices=ConsultationState.choices, default=S.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("window closed"), null=True, blank=True)
    answered_at = models.DateTimeField(_("every opinion answered"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("result published"), null=True, blank=True)
    result_summary = models.TextField(
        _("summary for the originator"),
        max_length=10000,
        blank=True,
        help_text=_("What the area reports upstream to the legislature that sent the draft."),
    )
    opinion_count = models.PositiveIntegerField(_("opinions"), default=0)
    follower_count = models.PositiveIntegerField(_("followers"), default=0)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-opens_at"], name="cons_state_opens"),
            models.Index(fields=["area_path"], name="cons_area_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["state", "closes_at"], name="cons_state_closes"),
            # the public list (every area, newest first): no drafts
            models.Index(fields=["-opens_at", "-id"], name="cons_public_opens", condition=~Q(state="draft")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="cons_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(opens_at__isnull=False) & Q(closes_at__isnull=False)),
                name="cons_published_has_window",
            ),
            models.CheckConstraint(condition=Q(answer_working_days__gte=1), name="cons_answer_days_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:consultation-detail", args=[self.pk])

    def window_open(self, now=None) -> bool:
        """True while the consultation is open and the server clock is inside its window."""
        now = now or timezone.now()
        return (
            self.state == S.OPEN
            and self.opens_at is not None
            and self.closes_at is not None
            and self.opens_at <= now < self.closes_at
        )


class Extension(AppendOnlyModel):
    """A public record of a window made longer, with the reason people read."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="extensions")
    previous_closes_at = models.DateTimeField(_("closed before"))
    closes_at = models.DateTimeField(_("closes now"))
    reason = models.TextField(_("reason"), max_length=1000)
    extended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    extended_at = models.DateTimeField(_("extended"), default=timezone.now)

    class Meta:
        verbose_name = _("extension of a consultation")
        verbose_name_plural = _("extensions of consultations")
        ordering = ["extended_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("previous_closes_at")), name="cons_ext_later")
        ]

    def __str__(self):
        return f"{self.consultation_id}: {self.closes_at:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="cons_one_follow_per_person")]

    def __str__(self):
        return f"{self.user} → {self.consultation_id}"


# --- the text -------------------------------------------------------------------------------------------


class VersionKind(models.TextChoices):
    DRAFT = "draft", _("draft for comment")
    FINAL = "final", _("final text")


class TextFormat(models.TextChoices):
    PLAIN = "plain", _("plain text with Chinese legal numbering")
    MARKDOWN = "markdown", _("Markdown")


class TextVersion(models.Model):
    """One version of a consultation's text: the draft people comment on, later the final text."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="versions")
    kind = models.CharField(_("version"), max_length=8, choices=VersionKind.choices)
    source = models.TextField(_("imported text"), max_length=200000, blank=True)
    source_format = models.CharField(_("format"), max_length=10, choices=TextFormat.choices, default=TextFormat.PLAIN)
    note = models.TextField(_("note on this version"), max_length=10000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("text version")
        verbose_name_plural = _("text versions")
        ordering = ["consultation", "kind"]
        constraints = [models.UniqueConstraint(fields=["consultation", "kind"], name="cons_one_version_per_kind")]

    def __str__(self):
        return f"{self.consultation_id} · {self.get_kind_display()}"


class UnitKind(models.TextChoices):
    CHAPTER = "chapter", _("chapter (章)")
    SECTION = "section", _("section (节)")
    ARTICLE = "article", _("article (条)")
    PARAGRAPH = "paragraph", _("paragraph (款)")
    ITEM = "item", _("item (项)")
    SUBITEM = "subitem", _("sub-item (目)")
    HEADING = "heading", _("heading")


class TextUnit(models.Model):
    """A unit of a text version, in document order. `anchor` is the unit's stable address: a unit of the
    final version that replaces a draft unit keeps its anchor, so links to it survive between versions."""

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=1)  # heading level, nesting depth otherwise
    number = models.CharField(_("number"), max_length=30, blank=True)  # as printed: 第十二条, （一）, 1.
    ordinal = models.PositiveIntegerField(_("number as a figure"), null=True, blank=True)
    anchor = models.SlugField(_("anchor"), max_length=60)
    text = models.TextField(_("text"), max_length=20000, blank=True)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces the draft unit"),
    )
    changed_by = models.ManyToManyField(
        "Opinion", blank=True, related_name="changed_units", verbose_name=_("opinions that caused the change")
    )

    class Meta:
        verbose_name = _("unit of a text")
        verbose_name_plural = _("units of texts")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="cons_unit_position"),
            models.UniqueConstraint(fields=["version", "anchor"], name="cons_unit_anchor"),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:30]}".strip()

    def get_absolute_url(self):
        return f"{self.version.consultation.get_absolute_url()}#{self.anchor}"


# --- questions ------------------------------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    OPEN = "open", _("open answer")


class Question(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["consultation", "position", "id"]

    def __str__(self):
        return self.text


class QuestionOption(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("option"), max_length=200)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["question", "position", "id"]

    def __str__(self):
        return self.text


class QuestionAnswer(models.Model):
    """One person's answer to a question (the choices of a single or multiple choice question, or text)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    options = models.ManyToManyField(QuestionOption, blank=True, related_name="answers")
    text = models.TextField(_("answer"), max_length=OPINION_LIMIT, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer to a question")
        verbose_name_plural = _("answers to questions")
        constraints = [
            models.UniqueConstraint(fields=["question", "respondent"], name="cons_one_answer_per_question"),
        ]

    def __str__(self):
        return f"{self.respondent_id} → {self.question_id}"


# --- opinions -------------------------------------------------------------------------------------------


class Source(models.TextChoices):
    ONLINE = "online", _("online")
    SYMPOSIUM = "symposium", _("symposium (座谈会)")
    LETTER = "letter", _("letter")
    HOTLINE = "hotline", _("hotline")
    VISIT = "visit", _("visit")


# What staff enter: every source but online.
OFFLINE_SOURCES = [(value, label) for value, label in Source.choices if value != Source.ONLINE]


class Classification(models.TextChoices):
    # the context keeps them apart from a proposal's "adopted" / "not adopted" (通过 / 未通过)
    ADOPTED = "adopted", pgettext_lazy("answer to an opinion", "adopted")
    PARTLY_ADOPTED = "partly_adopted", _("partly adopted")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("answer to an opinion", "not adopted")
    ALREADY_PROVIDED = "already_provided", _("already provided for")
    OUT_OF_SCOPE = "out_of_scope", _("outside this consultation")


class Symposium(models.Model):
    """A meeting (座谈会) whose opinions staff entered: when, where and how many attended."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="symposiums")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120)
    attendance = models.PositiveIntegerField(_("attendance"), validators=[MinValueValidator(1)])
    note = models.CharField(_("note"), max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("symposium")
        verbose_name_plural = _("symposiums")
        ordering = ["held_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(attendance__gte=1), name="cons_symposium_attended")]

    def __str__(self):
        return f"{self.held_on} {self.place}"


class OpinionGroup(models.Model):
    """Similar opinions answered once: the answer is given to every opinion of the group."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    title = models.CharField(_("title"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    classification = models.CharField(_("answer"), max_length=20, choices=Classification.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("group of opinions")
        verbose_name_plural = _("groups of opinions")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(classification=""))
                | (Q(answered_at__isnull=False) & ~Q(classification="") & ~Q(reason="")),
                name="cons_group_answer_whole",
            ),
        ]

    def __str__(self):
        return self.title


class Opinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey(
        TextUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("unit")
    )  # none: on the text as a whole
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("on behalf of")
    )
    as_resident = models.BooleanField(_("appear as “居民”"), default=False)
    text = models.TextField(_("opinion"), max_length=OPINION_LIMIT)
    wording = models.TextField(_("proposed wording"), max_length=WORDING_LIMIT, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    symposium = models.ForeignKey(
        Symposium, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("symposium")
    )
    submitter = models.CharField(_("from"), max_length=60, blank=True)  # offline: who gave it, as they agreed
    received_on = models.DateField(_("received"), null=True, blank=True)  # offline: the day it came in
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    group = models.ForeignKey(
        OpinionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions", verbose_name=_("group")
    )
    classification = models.CharField(_("answer"), max_length=20, choices=Classification.choices, blank=True)
    reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "unit", "created_at"], name="cons_opinion_unit_time"),
            models.Index(fields=["consultation", "created_at"], name="cons_opinion_time"),
            models.Index(fields=["consultation", "answered_at"], name="cons_opinion_answered"),
            models.Index(fields=["consultation", "group"], name="cons_opinion_group"),
            models.Index(fields=["author", "created_at"], name="cons_opinion_author"),
            # what everyone reads (pages.PUBLIC): the opinions not hidden, in each order a list offers, and per
            # unit (the list of one unit; the counts on the text, from the index alone)
            models.Index(
                fields=["consultation", "created_at", "id"], name="cons_op_public_time", condition=Q(is_hidden=False)
            ),
            models.Index(
                fields=["consultation", "-support_count", "created_at", "id"],
                name="cons_op_public_support",
                condition=Q(is_hidden=False),
            ),
            models.Index(
                fields=["consultation", "unit", "created_at", "id"],
                name="cons_op_public_unit",
                condition=Q(is_hidden=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(support_count__gte=0), name="cons_support_not_negative"),
            models.CheckConstraint(
                condition=Q(source="online", author__isnull=False, entered_by__isnull=True)
                | (~Q(source="online") & Q(entered_by__isnull=False)),
                name="cons_opinion_source_whole",
            ),
            models.CheckConstraint(
                condition=Q(source="symposium", symposium__isnull=False)
                | (~Q(source="symposium") & Q(symposium__isnull=True)),
                name="cons_opinion_symposium",
            ),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(classification=""))
                | (Q(answered_at__isnull=False) & ~Q(classification="") & ~Q(reason="")),
                name="cons_opinion_answer_whole",
            ),
        ]

    def __str__(self):
        return self.text[:40]

    def get_absolute_url(self):
        return reverse("consultations:opinion-detail", args=[self.consultation_id, self.pk])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class OpinionSupport(models.Model):
    """ "同意此意见": one person's support of a public opinion."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support of an opinion")
        verbose_name_plural = _("supports of opinions")
        constraints = [models.UniqueConstraint(fields=["opinion", "user"], name="cons_one_support_per_person")]

    def __str__(self):
        return f"{self.user_id} → {self.opinion_id}"


class AreaSubscription(models.Model):
    """A person's wish to hear when a consultation opens (and when its result is out) in an area: the
    area itself, the areas above it and the areas inside it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+", verbose_name=_("area"))
    area_path = models.CharField(max_length=400, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription to an area's consultations")
        verbose_name_plural = _("subscriptions to areas' consultations")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="cons_one_subscription_per_area")]
        indexes = [models.Index(fields=["area_path"], name="cons_sub_path", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.user_id} → {self.area_id}"
