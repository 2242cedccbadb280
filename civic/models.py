from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import notice_kind_choices
from .validators import validate_credit_code


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """`get(pk=…)`, which every signed-in request makes (the session's person, Django's auth backends),
        as one plain query whose text is made once per process: the same row and instance as the ORM's
        lookup, without building and compiling that query each time (a quarter of a kept signed-in
        page's CPU). Any other lookup, or a value that is not plainly a number, goes the usual way."""
        pk = kwargs.get("pk")
        from django.db import DEFAULT_DB_ALIAS, router

        if args or len(kwargs) != 1 or self._db is not None or not _plain_pk(pk):
            return super().get(*args, **kwargs)
        if router.db_for_read(self.model) != DEFAULT_DB_ALIAS:
            return super().get(*args, **kwargs)
        user = _by_pk(self.model, pk)
        if user is None:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return user

    def _create(self, email, password, **extra):
        if not email and not extra.get("login_phone"):
            raise ValueError("An e-mail address or a mobile number is required")
        user = self.model(email=self.normalize_email(email).lower() if email else None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


def _plain_pk(value) -> bool:
    """A key the ORM would look up as this number (in range of any integer key: beyond it the ORM finds
    nothing without asking, where the plain query would fail)."""
    if type(value) is str and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    return type(value) is int and 0 < value < 2**31


_BY_PK: dict[tuple, str] = {}


def _by_pk(model, pk):
    """`model`'s row with primary key `pk` as the ORM loads it (`civic.rows`), or None. The query's text is
    made once per process; PostgreSQL parses and plans it once per connection where connections are kept
    (`rows.prepared_cursor`, as the page's query)."""
    from django.db import connection

    from . import rows

    sql = _BY_PK.get((connection.vendor, model))
    if sql is None:
        quote = connection.ops.quote_name
        sql = _BY_PK[(connection.vendor, model)] = (
            f"SELECT {rows.columns(model, 't')} FROM {quote(model._meta.db_table)} t "
            f"WHERE t.{quote(model._meta.pk.column)} = %s"
        )
    with rows.prepared_cursor() as cursor:
        cursor.execute(sql, [int(pk)])
        row = cursor.fetchone()
    return None if row is None else rows.build(model, row)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an e-mail address or a mobile number; shown to others by display name only.

    A resident registered in person by staff (`AssistedResident`) may have neither until they claim the
    account; the e-mail address is then empty (NULL, so the unique constraint holds for the others)."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    login_phone = models.CharField(
        _("mobile number for signing in"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stored as +86 followed by the 11 digits."),
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    is_hidden = models.BooleanField(_("profile hidden by moderation"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("May use the admin site."))
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("civic:person-detail", kwargs={"pk": self.pk})

    @property
    def public_name(self) -> str:
        return self.display_name or _("Resident %(number)s") % {"number": self.pk}

    def get_full_name(self):
        return self.display_name

    def delete(self, *args, **kwargs):
        raise ProtectedError("People are never deleted; deactivate and anonymise the account instead.", [self])

    def get_short_name(self):
        return self.display_name


class AreaLevel(models.TextChoices):
    CITY = "city", _("city")
    DISTRICT = "district", _("district")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    COMMUNITY = "community", _("community")
    GRID = "grid", _("grid cell")


AREA_LEVEL_ORDER = [level.value for level in AreaLevel]


class Area(models.Model):
    """A node of the area tree: city → district → subdistrict → community → grid cell.

    `path` is a materialised path of codes ("/3101/310101/…/"), so "is A inside B" is a string
    prefix test without a query, and "everything under B" is one indexed prefix query.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [
            # PostgreSQL: lets `path LIKE 'prefix%'` use the index whatever the database collation.
            models.Index(fields=["path"], name="civic_area_path_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "path"], name="civic_area_level_path"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(parent__isnull=True) | ~Q(level="city"), name="civic_area_city_is_root"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("civic:area-detail", kwargs={"code": self.code})

    def contains(self, other: "Area") -> bool:
        """True if `other` is this area or lies anywhere under it."""
        return other.path.startswith(self.path)

    @property
    def ancestor_codes(self) -> list[str]:
        return self.path.strip("/").split("/")[:-1]


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("enterprise")
    SOCIAL = "social", _("social organisation")
    RESIDENTS_GROUP = "residents_group", _("residents' self-governing group")
    COMMUNITY_COMMITTEE = "committee", _("community residents' committee")
    GOVERNMENT = "government", _("government department")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, validators=[validate_credit_code]
    )
    description = models.TextField(_("description"), blank=True)
    is_hidden = models.BooleanField(_("hidden by moderation"), default=False)
    areas = models.ManyToManyField(Area, verbose_name=_("areas served"), related_name="organisations", blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], name="civic_org_credit_code_unique"),
            models.CheckConstraint(
                condition=Q(kind="residents_group") | Q(credit_code__isnull=False),
                name="civic_org_credit_code_required",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"], name="civic_org_kind_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("civic:organisation-detail", kwargs={"pk": self.pk})

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class MembershipRole(models.TextChoices):
    REPRESENTATIVE = "representative", _("representative")
    MEMBER = "member", _("member")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="civic_membership_unique")]

    def __str__(self):
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"


class AreaRoleKind(models.TextChoices):
    ORGANISER = "organiser", _("organiser")
    OFFICIAL = "official", _("official")
    MODERATOR = "moderator", _("moderator")
    GRID_WORKER = "grid_worker", _("grid worker")


class AreaRole(models.Model):
    """A role held in an area; it covers the area and everything under it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="area_roles")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=AreaRoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("area role")
        verbose_name_plural = _("area roles")
        constraints = [models.UniqueConstraint(fields=["user", "area", "role"], name="civic_area_role_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.area}"


class OrganisationRequestKind(models.TextChoices):
    JOIN = "join", _("request to join")
    INVITATION = "invitation", _("invitation")


class OrganisationRequestStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class OrganisationRequest(models.Model):
    """A person asking to join an organisation, or an organisation inviting a person."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_requests")
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationRequestKind.choices)
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OrganisationRequestStatus.choices, default=OrganisationRequestStatus.PENDING
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=Q(status="pending"), name="civic_org_request_one_pending"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="civic_orgreq_org_status")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} → {self.organisation}"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


ACTIVE_VERIFICATION_STATUSES = [VerificationStatus.PENDING, VerificationStatus.APPROVED]


def _proof_storage():
    from .storage import private_storage

    return private_storage


class ResidencyVerification(models.Model):
    """A person's request to be verified as living in a grid cell; approval makes them eligible there
    and in every area above it until it expires or is revoked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="verifications")
    cell = models.ForeignKey(Area, verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200)
    proof = models.FileField(_("proof of residence"), storage=_proof_storage, upload_to="proofs/%Y/%m/", blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("residency verification")
        verbose_name_plural = _("residency verifications")
        ordering = ["-created_at"]
        constraints = [
            # One active (pending or approved) verification per person; moving means a new request.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["pending", "approved"]), name="civic_one_active_verification"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="civic_verif_user_status"),
            models.Index(fields=["status", "cell"], name="civic_verif_status_cell"),
        ]

    def __str__(self):
        return f"{self.user} · {self.cell} ({self.get_status_display()})"

    def is_effective(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == VerificationStatus.APPROVED and (self.expires_at is None or self.expires_at > now)


class ReportReason(models.TextChoices):
    SPAM = "spam", _("spam or advertising")
    ABUSE = "abuse", _("personal attack or harassment")
    PRIVACY = "privacy", _("reveals someone's private information")
    ILLEGAL = "illegal", _("illegal content")
    FALSE = "false", _("false or misleading")
    OTHER = "other", _("something else")


class ModerationStatus(models.TextChoices):
    OPEN = "open", _("open")
    HIDDEN = "hidden", _("hidden")
    RESTORED = "restored", _("kept visible")


class ModerationCase(models.Model):
    """All reports about one piece of content, and the moderators' decision on it."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excerpt = models.CharField(_("excerpt"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.OPEN
    )
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    auto_hidden = models.BooleanField(_("hidden automatically"), default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("first reported"), default=timezone.now)
    updated_at = models.DateTimeField(_("last reported"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="civic_moderation_case_unique")
        ]
        indexes = [models.Index(fields=["decided_at", "area"], name="civic_modcase_queue")]

    def __str__(self):
        return f"{self.content_type.name} #{self.object_id} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("civic:moderation-case", kwargs={"pk": self.pk})

    @property
    def needs_review(self) -> bool:
        """New reports reopen a decided case; the queue holds every case without a current decision."""
        return self.decided_at is None


class Report(models.Model):
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_made")
    reason = models.CharField(_("reason"), max_length=12, choices=ReportReason.choices)
    text = models.CharField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="civic_report_once_per_person")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.case}"


class DeliveryChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("e-mail at once")
    DAILY = "daily", _("daily digest")
    OFF = "off", _("only on the site")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DeliveryChoice.choices)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="civic_notif_unread"),
            models.Index(fields=["delivery", "emailed_at"], name="civic_notif_digest"),
        ]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    delivery = models.CharField(_("delivery"), max_length=10, choices=DeliveryChoice.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="civic_notif_pref_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.delivery}"


class Channel(models.TextChoices):
    """How an act reached the platform: by the person themselves, or done with them in person by staff (代办)."""

    ONLINE = "online", _("online")
    ASSISTED = "assisted", _("assisted in person")


class AssistedResident(models.Model):
    """A resident registered in person by an organiser (代办): no e-mail needed, verified in their grid cell on
    the spot (the usual ResidencyVerification, approved by the same staff member), with their consent.

    `id_last4` (the last four characters of the ID card) tells namesakes in one cell apart; like the mobile
    number it is personal data, shown only to staff of the area, never public and never exported."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assisted")
    id_last4 = models.CharField(_("last four characters of the ID card"), max_length=4)
    cell = models.ForeignKey(Area, verbose_name=_("grid cell"), on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    consent_at = models.DateTimeField(_("consent recorded"))
    claimed_at = models.DateTimeField(_("account claimed"), null=True, blank=True)

    class Meta:
        verbose_name = _("assisted resident")
        verbose_name_plural = _("assisted residents")
        indexes = [models.Index(fields=["cell", "id_last4"], name="civic_assisted_cell_id")]

    def __str__(self):
        return str(self.user)


class ClaimCode(models.Model):
    """A single-use code handed over in person with which an assisted resident claims their account.
    Only its SHA-256 hash is stored; it expires after settings.CLAIM_CODE_VALID_DAYS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("claim code")
        verbose_name_plural = _("claim codes")
        indexes = [models.Index(fields=["user", "used_at"], name="civic_claimcode_user")]

    def __str__(self):
        return f"{self.user_id} · {self.issued_at:%Y-%m-%d}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ProtectedError("This record is append-only.", list(self[:1]))

    def delete(self):
        raise ProtectedError("This record is append-only.", list(self[:1]))


class AppendOnlyModel(models.Model):
    """A record written once and never changed: the ORM refuses updates and deletes, one row or many, and
    the database refuses them too. Inheriting is all a model does: after every migrate, civic.appendonly
    gives each concrete subclass's table triggers (PostgreSQL and SQLite) that refuse UPDATE and DELETE."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ProtectedError("This record is append-only.", [self])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ProtectedError("This record is append-only.", [self])


class AuditEntry(AppendOnlyModel):
    """Append-only record of a sensitive action (see AppendOnlyModel)."""

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_for = models.ForeignKey(
        Organisation, verbose_name=_("acting for"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=400, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="civic_audit_object"),
            models.Index(fields=["actor", "assisted_by"], name="civic_audit_assisted"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class TimelineEntry(models.Model):
    """A public line in the story of a subject (a proposal, an organisation, an area…).

    `verb` names a registered message (civic.timeline) that is rendered in the reader's language with
    `params`; later stages write entries through `civic.services.timeline_record`, earlier pages read
    them, so no stage has to import a later one.
    """

    created_at = models.DateTimeField(_("when"), default=timezone.now)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    verb = models.CharField(_("what happened"), max_length=60)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline_entries"
    )
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT, related_name="timeline_entries")
    area_path = models.CharField(max_length=400, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "created_at"], name="civic_timeline_subject"),
            models.Index(fields=["organisation", "created_at"], name="civic_timeline_org"),
            models.Index(fields=["area_path"], name="civic_timeline_area_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.verb} {self.subject_type_id}#{self.subject_id}"


class CalendarDay(models.Model):
    """A correction to the official calendar: a day that is (or is not) a working day.

    Working days are Monday to Friday minus the public holidays plus the make-up working days (调休)
    published each year; the `chinese-calendar` package knows the published years and these rows
    override it (a late announcement, a local holiday).
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date}: {self.note}"


# --- outcome notices (公告) --------------------------------------------------------------------------------


class OutcomeNotice(AppendOnlyModel):
    """A published notice; never changed once published (a correction is a new notice that names it).

    What a notice can be about (`kind`) is registered by the stages that take the decisions
    (`civic.registry.notice_kind`), so the core names none of them.
    """

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="notices")
    area_path = models.CharField(max_length=400, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=notice_kind_choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=10000)
    source_url = models.CharField(_("source"), max_length=300, blank=True)
    source_key = models.CharField(max_length=60, blank=True)  # e.g. "award:12", to find what is unpublished
    decided_at = models.DateTimeField(_("decision taken"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("corrects")
    )

    class Meta:
        verbose_name = _("outcome notice")
        verbose_name_plural = _("outcome notices")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["area_path"], name="civic_notice_area", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["-published_at"], name="civic_notice_published"),
            models.Index(fields=["source_key"], name="civic_notice_source"),
            models.Index(fields=["kind", "-published_at"], name="civic_notice_kind"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("civic:notice-detail", args=[self.pk])


class OrganisationToken(models.Model):
    """An API key an organisation holds (a hotline centre filing reports through Open311, docs/open311.md).

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is issued
    (`civic.services.organisation_token_issue`). A revoked key stops working at once."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(_("what it is for"), max_length=120)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("first characters"), max_length=8, editable=False)
    may_file_reports = models.BooleanField(_("may file reports of small matters"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("issued"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation API key")
        verbose_name_plural = _("organisation API keys")
        ordering = ["organisation", "-created_at"]

    def __str__(self):
        return f"{self.organisation_id} · {self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PageChange(models.Model):
    """One change to what a cached page part shows (civic.pagecache): inserted by the write, in its transaction.
    A scope's version is how many changes it has had; `manage.py tick` folds the rows into PageVersion."""

    scope = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["scope", "id"], name="civic_pagechange_scope")]

    def __str__(self):
        return f"{self.scope} #{self.pk}"


class PageVersion(models.Model):
    """The changes to a scope already folded by compaction (civic.pagecache.compact)."""

    scope = models.CharField(max_length=200, primary_key=True)
    base = models.BigIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.scope} {self.base}"


class PagePart(models.Model):
    """A rendered part of a page (civic.pagecache), with the versions of its scopes it was rendered at.
    UNLOGGED on PostgreSQL: a cache, emptied by a crash."""

    page = models.CharField(max_length=32)
    sub = models.CharField(max_length=40)
    versions = models.TextField()
    html = models.TextField()
    until = models.FloatField(null=True)
    stored_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "sub"], name="civic_pagepart_page_sub")]
        indexes = [models.Index(fields=["stored_at"], name="civic_pagepart_stored")]

    def __str__(self):
        return f"{self.page}/{self.sub}"
