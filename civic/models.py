from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_credit_code


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
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


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with an e-mail address; shown to others by display name only."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
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

    @property
    def public_name(self) -> str:
        return self.display_name or _("Resident %(number)s") % {"number": self.pk}

    def get_full_name(self):
        return self.display_name

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
