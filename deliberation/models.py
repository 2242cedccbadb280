import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civic.models import AppendOnlyModel, Area
from civic.money import amount_field


class BoxKind(models.TextChoices):
    QUESTION = "question", _("yes / no question")
    APPROVAL = "approval", _("choice among options")
    BUDGET = "budget", _("participatory budget")


class BudgetRule(models.TextChoices):
    GREEDY = "greedy", _("most votes first (greedy)")
    MES = "mes", _("Method of Equal Shares")
    MES_ADD1 = "mes-add1", _("Method of Equal Shares, completed by Add1")


class Threshold(models.TextChoices):
    MAJORITY = "1/2", _("more than half of the yes and no votes")
    TWO_THIRDS = "2/3", _("two thirds of the yes and no votes")


class BoxState(models.TextChoices):
    DRAFT = "draft", _("being prepared")
    SCHEDULED = "scheduled", _("announced")
    TALLIED = "tallied", _("results published")


class BallotBox(models.Model):
    """A community-wide vote in an area. Open and closed by the clock (opens_at, closes_at); results are
    hidden until it closes, then computed once, stored and published."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="ballot_boxes")
    area_path = models.CharField(max_length=400, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=BoxKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=BoxState.choices, default=BoxState.DRAFT)
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    secret = models.BooleanField(_("secret ballot"), default=True)
    allow_change = models.BooleanField(_("voters may change their ballot until the close"), default=True)
    budget = amount_field(_("budget (yuan)"), null=True, blank=True)
    rule = models.CharField(_("counting rule"), max_length=10, choices=BudgetRule.choices, default=BudgetRule.MES_ADD1)
    min_choices = models.PositiveIntegerField(_("fewest options a voter must choose"), default=0)
    max_choices = models.PositiveIntegerField(_("most options a voter may choose (0: no limit)"), default=0)
    quorum_share = models.DecimalField(
        _("turnout needed (share of eligible residents)"), max_digits=5, decimal_places=4, default=0
    )
    threshold = models.CharField(_("threshold"), max_length=3, choices=Threshold.choices, default=Threshold.MAJORITY)
    imported = models.BooleanField(_("imported election"), default=False)
    source_meta = models.JSONField(default=dict, blank=True)
    # The ballots counted in the row: paper batches, an import, the count. An online ballot is added to one of
    # the box's TurnoutShare rows instead, so voters never queue on this row: `turnout_now` is the sum.
    turnout = models.PositiveIntegerField(_("ballots cast"), default=0)
    eligible_count = models.PositiveIntegerField(_("eligible residents at the close"), null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    tallied_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ballot box")
        verbose_name_plural = _("ballot boxes")
        ordering = ["-closes_at", "-id"]
        indexes = [
            models.Index(fields=["state", "closes_at"], name="ballot_state_closes"),
            models.Index(fields=["area_path"], name="ballot_area_path", opclasses=["varchar_pattern_ops"]),
            # The public list: the city's own announced votes, latest close first (drafts and imported
            # elections are not in it).
            models.Index(
                fields=["-closes_at", "-id"],
                name="ballot_public_list",
                condition=Q(imported=False) & ~Q(state="draft"),
            ),
            # Elections imported from open data, listed apart below it.
            models.Index(fields=["-closes_at", "-id"], name="ballot_imported_list", condition=Q(imported=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="budget") | Q(budget__isnull=False), name="ballot_budget_needs_budget"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberation:ballot-detail", args=[self.pk])

    @property
    def turnout_now(self) -> int:
        """Every ballot cast so far: the row's count and the online ballots' shares (folded into the row by
        the count). Read with the box where a query annotates `turnout_online` (`with_turnout`), else one
        query."""
        online = self.__dict__.get("turnout_online")
        if online is None:
            online = TurnoutShare.objects.filter(box_id=self.pk).aggregate(n=models.Sum("n"))["n"] or 0
        return self.turnout + online

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("turnout_online", None)  # read with the row it came with: as old as that row
        super().refresh_from_db(*args, **kwargs)

    def phase(self, now=None) -> str:
        """draft, upcoming, open, closed (waiting for the count) or tallied — judged from the clock."""
        now = now or timezone.now()
        if self.state == BoxState.TALLIED:
            return "tallied"
        if self.state == BoxState.DRAFT:
            return "draft"
        if self.opens_at and now < self.opens_at:
            return "upcoming"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


class TurnoutShare(models.Model):
    """Part of a box's turnout: each online ballot adds one to one of a few rows of its box, chosen at random,
    in its own transaction. Voters of one box so never queue on one row (the box's row, locked until the
    commit, let through one ballot per commit); the sum is exact, and the count folds it into the box's row
    (`BallotBox.turnout_now`)."""

    SLOTS = 32

    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "slot"], name="turnout_share_slot")]

    def __str__(self):
        return f"{self.box_id}/{self.slot}: {self.n}"


class BallotOption(models.Model):
    box = models.ForeignKey(BallotBox, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = amount_field(_("cost (yuan)"), null=True, blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="ballot_options"
    )
    project_id = models.CharField(_("project id"), max_length=40)
    position = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["box", "project_id"], name="ballot_option_project_id_unique")]

    def __str__(self):
        return self.title


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("on paper")
    IMPORTED = "imported", _("imported")
    ASSISTED = "assisted", _("assisted in person")


class Participation(models.Model):
    """Who took part (one per person per box). In a secret box nothing here points to the ballot.

    A vote cast with a resident in person (代办) is `channel` "assisted" with the staff member in
    `assisted_by`; its Ballot stays "online" (cast on a device), so not even the channel ties the staff
    member, or the handful of assisted voters, to a choice."""

    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["box", "user"], name="ballot_one_ballot_per_person")]

    def __str__(self):
        return f"{self.user_id} @ {self.box_id}"


class PaperBatch(models.Model):
    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="paper_batches")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("batch"), max_length=60)
    ballots = models.PositiveIntegerField(_("ballots"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")

    def __str__(self):
        return self.label


class Ballot(models.Model):
    """What was chosen. A random key and no time: in a secret box it cannot be ordered or matched
    against the participation records. `voter` is set only in boxes that are not secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField(default=list)
    receipt_hash = models.CharField(max_length=64, null=True, blank=True)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    batch = models.ForeignKey(PaperBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    external_id = models.CharField(max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_hash"], condition=Q(receipt_hash__isnull=False), name="ballot_receipt_unique"
            ),
            models.UniqueConstraint(
                fields=["box", "voter"], condition=Q(voter__isnull=False), name="ballot_one_named_per_person"
            ),
        ]
        indexes = [models.Index(fields=["box"], name="ballot_box")]

    def __str__(self):
        return str(self.id)


class RulePreset(models.TextChoices):
    NANTANG = "nantang", _("Nantang community rules (2-minute speeches, sides alternate)")
    ROBERTS = "roberts", _("Robert's Rules (10-minute speeches)")


# How the rules of order (deliberation.procedure) name things, as people read them: on the council's
# settings page, in the admin's help and in the minutes.
class ChairMode(models.TextChoices):
    MEMBER = "member", _("a full member: counts toward the quorum and votes")
    CASTING = "casting", _("a member who votes only where the vote decides the result (Robert's Rules)")
    OUTSIDE = "outside", _("not a member: does not count toward the quorum and does not vote")


class VoteThreshold(models.TextChoices):
    MAJORITY_CAST = "majority_cast", _("a majority of the votes cast (abstentions not counted)")
    MAJORITY_PRESENT = "majority_present", _("a majority of the members present")
    MAJORITY_MEMBERS = "majority_members", _("a majority of all the members")
    TWO_THIRDS_CAST = "two_thirds_cast", _("two thirds of the votes cast (abstentions not counted)")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("two thirds of the members present")
    TWO_THIRDS_MEMBERS = "two_thirds_members", _("two thirds of all the members")


class MotionKind(models.TextChoices):
    MAIN = "main", _("motion")
    AMEND = "amend", _("amendment")
    REFER = "refer", _("refer")
    POSTPONE = "postpone", _("postpone")
    PREVIOUS_QUESTION = "previous_question", _("close debate")
    RECESS = "recess", _("recess")
    ADJOURN = "adjourn", _("adjourn")


class SpeechSide(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ORDER = "order", _("point of order")


class QuorumKind(models.TextChoices):
    MAJORITY = "majority", _("a majority of the members")
    SHARE = "share", _("a share of the members (e.g. 2/3)")
    NUMBER = "number", _("a number of members")


class Council(models.Model):
    """A community council (议事会) of an area, with its members and its rule set."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="councils")
    name = models.CharField(_("name"), max_length=80)
    preset = models.CharField(
        _("rules of procedure"), max_length=10, choices=RulePreset.choices, default=RulePreset.NANTANG
    )
    overrides = models.JSONField(_("adjustments to the rules"), default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "civic.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [models.UniqueConstraint(fields=["council", "user"], name="council_one_seat_per_person")]

    def __str__(self):
        return f"{self.user} @ {self.council}"


class Session(models.Model):
    """A meeting of a council. Its state is the procedure engine's, stored after every command under a
    row lock; the commands and events that made it are kept in order in SessionRecord."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    public = models.BooleanField(_("open to watch"), default=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(_("state"), max_length=12, default="scheduled")
    state = models.JSONField(default=dict)
    # The council's rules as they were when the session opened (procedure.rules_to_json); empty until
    # then: a change of the council's rules applies to the sessions that open after it.
    rules = models.JSONField(default=dict, blank=True)
    seq = models.PositiveIntegerField(default=0)
    # When the current speech reaches its limit (the engine's speech_deadline), kept with the state; the
    # deadline loop of each WebSocket server process and `tick` end the speech then.
    speech_deadline = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(
                fields=["speech_deadline"],
                name="session_speech_deadline",
                condition=Q(speech_deadline__isnull=False),
            ),
            # The public list of sessions (those open to watch), latest first, and a council's own sessions.
            models.Index(fields=["-starts_at", "-id"], name="session_public_list", condition=Q(public=True)),
            models.Index(fields=["council", "-starts_at", "-id"], name="session_council_latest"),
        ]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    planned_minutes = models.PositiveIntegerField(_("planned minutes"), default=20)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"], name="agenda_position_unique")]

    def __str__(self):
        return self.title


class SessionRecord(AppendOnlyModel):
    """The record of a session, append-only: every accepted command and every event, numbered."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="records")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=8, choices=[("command", "command"), ("event", "event")])
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "seq", "id"]
        indexes = [models.Index(fields=["session", "kind", "seq"], name="session_record_seq")]

    def __str__(self):
        return f"{self.session_id}#{self.seq} {self.kind}"


class Minutes(models.Model):
    """Published minutes (会议纪要): generated from the record; the chair adds a summary."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="minutes")
    summary = models.TextField(_("summary"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.session)
