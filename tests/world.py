"""A small city with one person in every role, for permission matrices and flows.

city 77 ─ district D1 ─ subdistrict S1 ─ community C1 ─ cells c1a, c1b
        └ district D2 ─ subdistrict S2 ─ community C2 ─ cell c2a
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civic.models import AreaLevel, AreaRole, Membership, Organisation, ResidencyVerification
from civic.services import area_create
from tests.factories import UserFactory, valid_credit_code

ROLES = [
    "visitor",
    "unverified",
    "resident",
    "resident_elsewhere",
    "organiser_here",
    "organiser_elsewhere",
    "official_here",
    "official_elsewhere",
    "official_city",
    "moderator_here",
    "moderator_elsewhere",
    "representative",
    "member",
    "admin",
]


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)
    organisation: Organisation | None = None

    def __getitem__(self, key):
        return self.people.get(key) or self.areas[key]


def verify(person, cell, *, decided_by=None):
    now = timezone.now()
    return ResidencyVerification.objects.create(
        user=person,
        cell=cell,
        address="测试路 1 号",
        status="approved",
        decided_by=decided_by,
        decided_at=now,
        expires_at=now + timezone.timedelta(days=365),
    )


def build_world() -> World:
    w = World()
    a = w.areas
    a["city"] = area_create(code="77", name="七七市", level=AreaLevel.CITY)
    a["D1"] = area_create(code="7701", name="一区", level=AreaLevel.DISTRICT, parent=a["city"])
    a["S1"] = area_create(code="7701001", name="一街道", level=AreaLevel.SUBDISTRICT, parent=a["D1"])
    a["C1"] = area_create(code="7701001001", name="一社区", level=AreaLevel.COMMUNITY, parent=a["S1"])
    a["c1a"] = area_create(code="7701001001001", name="一网格", level=AreaLevel.GRID, parent=a["C1"])
    a["c1b"] = area_create(code="7701001001002", name="二网格", level=AreaLevel.GRID, parent=a["C1"])
    a["D2"] = area_create(code="7702", name="二区", level=AreaLevel.DISTRICT, parent=a["city"])
    a["S2"] = area_create(code="7702001", name="二街道", level=AreaLevel.SUBDISTRICT, parent=a["D2"])
    a["C2"] = area_create(code="7702001001", name="二社区", level=AreaLevel.COMMUNITY, parent=a["S2"])
    a["c2a"] = area_create(code="7702001001001", name="甲网格", level=AreaLevel.GRID, parent=a["C2"])

    p = w.people
    p["visitor"] = AnonymousUser()
    for role in ROLES[1:]:
        p[role] = UserFactory(display_name=role, is_superuser=role == "admin", is_staff=role == "admin")
    verify(p["resident"], a["c1a"])
    verify(p["resident_elsewhere"], a["c2a"])
    for person, area, role in [
        ("organiser_here", "S1", "organiser"),
        ("organiser_elsewhere", "S2", "organiser"),
        ("official_here", "D1", "official"),
        ("official_elsewhere", "D2", "official"),
        ("official_city", "city", "official"),
        ("moderator_here", "S1", "moderator"),
        ("moderator_elsewhere", "S2", "moderator"),
    ]:
        AreaRole.objects.create(user=p[person], area=a[area], role=role)
    org = Organisation.objects.create(name="一社区服务中心", kind="social", credit_code=valid_credit_code(901, "52"))
    org.areas.set([a["C1"]])
    Membership.objects.create(organisation=org, user=p["representative"], role="representative")
    Membership.objects.create(organisation=org, user=p["member"], role="member")
    w.organisation = org
    return w


def fresh(user):
    """The same person as a new object, without cached roles (as on the next request)."""
    if not user.is_authenticated:
        return user
    return type(user).objects.get(pk=user.pk)


def pending_request(w: World):
    """A request waiting for review, made by the unverified person for cell c1a."""
    return ResidencyVerification.objects.create(user=w["unverified"], cell=w["c1a"], address="测试路 2 号")


def case_in(area):
    from django.contrib.contenttypes.models import ContentType

    from civic.models import ModerationCase

    org = Organisation.objects.create(name="被举报的组织", kind="residents_group")
    org.areas.set([area])
    return ModerationCase.objects.create(
        content_type=ContentType.objects.get_for_model(org), object_id=org.pk, area=area, excerpt="…"
    )


def proposal_in(w: World, area: str = "C1"):
    """A published proposal by the resident, in community C1."""
    from proposals.models import Category, Proposal

    category, _ = Category.objects.get_or_create(name="测试类别")
    return Proposal.objects.create(
        title="测试建议",
        body="测试建议的内容",
        category=category,
        area=w[area],
        area_path=w[area].path,
        author=w["resident"],
        state="published",
    )
