from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import Area, Organisation
from civic.models import Channel as ActChannel
from civic.money import amount_field
from civic.text import localized


class Category(models.Model):
    """A category officials name in Chinese and optionally in English (civic.text.localized shows it)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self.name, self.name_en)


class AreaPolicy(models.Model):
    """Rules of an area for its proposals; an area without one inherits from the nearest area above."""

    area = models.OneToOneField(Area, on_delete=models.PROTECT, related_name="proposal_policy")
    endorsement_threshold = models.PositiveIntegerField(_("co-signatures needed"), validators=[MinValueValidator(1)])
    collection_days = models.PositiveIntegerField(_("days to collect co-signatures"), validators=[MinValueValidator(1)])
    response_working_days = models.PositiveIntegerField(
        _("working days for an official answer"), validators=[MinValueValidator(1)]
    )
    # Whether the proposer (领衔人) counts toward the co-signatures, by co-signing their own proposal.
    author_counts = models.BooleanField(_("the proposer counts toward the co-signatures"), default=True)

    class Meta:
        verbose_name = _("proposal rules of an area")
        verbose_name_plural = _("proposal rules of areas")

    def __str__(self):
        return str(self.area)


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("collecting co-signatures")
    QUALIFIED = "qualified", _("qualified for the agenda")
    SCHEDULED = "scheduled", _("on an agenda")
    ADOPTED = "adopted", _("adopted")
    NOT_ADOPTED = "not_adopted", _("not adopted")
    IN_IMPLEMENTATION = "in_implementation", _("being carried out")
    DONE = "done", _("done")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")
    DECLINED = "declined", pgettext_lazy("proposal state", "declined")


class Channel(models.TextChoices):
    ONLINE = "online", _("online, by its author")
    IN_PERSON = "in_person", _("in person, entered by staff")
    PHONE = "phone", _("by phone, entered by staff")


# What the public lists show: neither drafts nor what moderation hid.
LISTED = Q(is_hidden=False) & ~Q(state="draft")


class Proposal(models.Model):
    title = models.CharField(_("title"), max_length=80)
    body = models.TextField(_("text"), max_length=10000)
    body_html = models.TextField(editable=False, default="")
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="proposals")
    area_path = models.CharField(max_length=400, editable=False)
    location = models.CharField(_("location"), max_length=120, blank=True)
    estimated_cost = amount_field(_("estimated cost (yuan)"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    actor_kind = models.CharField(_("who proposes"), max_length=20, default="resident", editable=False)
    channel = models.CharField(_("how it came in"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    on_behalf_of = models.CharField(_("resident who brought it"), max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    collection_deadline = models.DateTimeField(_("co-signing closes"), null=True, blank=True)
    response_due = models.DateField(_("answer due"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    qualified_at = models.DateTimeField(_("qualified"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    threshold = models.PositiveIntegerField(_("co-signatures needed"), default=0)
    # the area's rule when the proposal was published: a later change applies to later proposals only
    author_counts = models.BooleanField(_("the proposer counts toward the co-signatures"), default=True)
    endorsement_count = models.PositiveIntegerField(_("co-signatures"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    follower_count = models.PositiveIntegerField(_("followers"), default=0)
    decline_reason = models.CharField(_("reason"), max_length=1000, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    search_tokens = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="prop_state_published"),
            models.Index(fields=["area_path"], name="prop_area_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["category", "-published_at"], name="prop_category"),
            models.Index(fields=["actor_kind", "-published_at"], name="prop_actor_kind"),
            models.Index(fields=["-endorsement_count"], name="prop_endorsements"),
            models.Index(fields=["collection_deadline"], name="prop_deadline"),
            models.Index(fields=["response_due", "first_answered_at"], name="prop_response_due"),
            # The public lists (proposals.selectors.proposal_list): what they show, in their orders, so a page
            # is an index walk, never a sort of every visible proposal.
            models.Index(fields=["-published_at", "-id"], name="prop_list_newest", condition=LISTED),
            models.Index(
                fields=["-endorsement_count", "-published_at", "-id"], name="prop_list_endorsed", condition=LISTED
            ),
            models.Index(
                fields=["area_path"], name="prop_list_area", opclasses=["varchar_pattern_ops"], condition=LISTED
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(endorsement_count__gte=0), name="prop_count_not_negative"),
            models.CheckConstraint(
                condition=Q(channel="online") | ~Q(on_behalf_of=""), name="prop_offline_names_resident"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:proposal-detail", args=[self.pk])


class ProposalRevision(models.Model):
    """What a published proposal said before a correction (only small fixes are allowed)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="revisions")
    title = models.CharField(max_length=80)
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at"]

    def __str__(self):
        return f"{self.proposal_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


def _attachment_path(instance, filename):
    return f"proposals/{instance.proposal_id}/{filename}"


class Attachment(models.Model):
    IMAGE, DOCUMENT = "image", "document"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=[(IMAGE, _("image")), (DOCUMENT, _("document"))])
    file = models.FileField(upload_to=_attachment_path)
    name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("proposals:proposal-attachment", args=[self.proposal_id, self.pk])


class Endorsement(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="endorsements")
    created_at = models.DateTimeField(default=timezone.now)
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
        verbose_name = _("co-signature")
        verbose_name_plural = _("co-signatures")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="prop_one_endorsement_per_person")]
        indexes = [models.Index(fields=["proposal", "created_at"], name="prop_endorsement_time")]

    def __str__(self):
        return f"{self.user} → {self.proposal_id}"


class PledgeKind(models.TextChoices):
    NONE = "none", _("no pledge")
    MONEY = "money", _("money")
    IN_KIND = "in_kind", _("in kind")


class CoSponsor(models.Model):
    """A resident or an organisation standing behind a proposal, with an optional pledge that the
    funding stage carries over."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosponsors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    pledge_kind = models.CharField(_("pledge"), max_length=10, choices=PledgeKind.choices, default=PledgeKind.NONE)
    pledge_amount = amount_field(_("amount or value (yuan)"), null=True, blank=True)
    pledge_description = models.CharField(_("what is pledged"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("co-sponsor")
        verbose_name_plural = _("co-sponsors")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], condition=Q(organisation__isnull=True), name="prop_cosponsor_person"
            ),
            models.UniqueConstraint(
                fields=["proposal", "organisation"], condition=Q(organisation__isnull=False), name="prop_cosponsor_org"
            ),
        ]

    def __str__(self):
        return f"{self.organisation or self.user} → {self.proposal_id}"


class Stance(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    NEUTRAL = "neutral", _("neutral")


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    body = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_hidden = models.BooleanField(default=False)
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
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["proposal", "parent", "created_at"], name="prop_comment_thread"),
            # the API's list of a proposal's comments, in its order: count and pages by index
            models.Index(
                fields=["proposal", "created_at", "id"], condition=models.Q(is_hidden=False), name="prop_comment_listed"
            ),
        ]

    def __str__(self):
        return self.body[:40]


class AnswerStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted for deliberation")
    MORE_INFO = "more_info", _("needs more information")
    DECLINED = "declined", pgettext_lazy("official answer", "declined")
    PLANNED = "planned", _("already planned")


class OfficialAnswer(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    official = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("answer"), max_length=10, choices=AnswerStatus.choices)
    reason = models.TextField(_("reason"), max_length=3000)
    created_at = models.DateTimeField(default=timezone.now)
    working_days_taken = models.PositiveIntegerField(_("working days taken"))
    on_time = models.BooleanField(_("within the deadline"))

    class Meta:
        verbose_name = _("official answer")
        verbose_name_plural = _("official answers")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_status_display()} → {self.proposal_id}"


class Follow(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="prop_one_follow_per_person")]

    def __str__(self):
        return f"{self.user} → {self.proposal_id}"


class ProposalReport(models.Model):
    """A report of a small matter a proposal grew out of (docs/architecture.md: proposals look back at
    casework, never the other way). A report grows into at most one proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="report_links")
    report = models.OneToOneField("casework.Report", on_delete=models.PROTECT, related_name="grew_into")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report a proposal grew out of")
        verbose_name_plural = _("reports proposals grew out of")
        ordering = ["proposal", "report"]
        indexes = [models.Index(fields=["proposal"], name="prop_report_link")]

    def __str__(self):
        return f"{self.report_id} → {self.proposal_id}"
