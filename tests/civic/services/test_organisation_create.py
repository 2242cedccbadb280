import pytest

from civic.errors import Conflict, InvalidInput
from civic.models import Membership, Organisation
from civic.services import organisation_create
from tests.factories import UserFactory, valid_credit_code

pytestmark = pytest.mark.django_db


def test_organisation_with_representative(tree):
    person = UserFactory()
    org = organisation_create(
        name="云河物业",
        kind="enterprise",
        credit_code=valid_credit_code(1).lower(),
        areas=[tree["district"]],
        representative=person,
    )
    assert org.credit_code == valid_credit_code(1)  # stored upper-case
    assert list(org.areas.all()) == [tree["district"]]
    assert Membership.objects.get(organisation=org).role == "representative"
    assert not org.is_confirmed


def test_residents_group_needs_no_credit_code(tree):
    org = organisation_create(name="3号楼居民自治小组", kind="residents_group", areas=[tree["cells"][0].parent])
    assert org.credit_code is None


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"name": "某企业", "kind": "enterprise"}, "credit_code_missing"),
        ({"name": "某企业", "kind": "enterprise", "credit_code": "91350100M000100Y44"}, "credit_code_check"),
        ({"name": "", "kind": "social", "credit_code": "91350100M000100Y43"}, "organisation_name_missing"),
    ],
)
def test_bad_organisations_write_nothing(kwargs, code, tree):
    with pytest.raises(InvalidInput) as raised:
        organisation_create(**kwargs, areas=[tree["district"]])
    assert raised.value.code == code
    assert not Organisation.objects.exists()


def test_credit_code_is_unique(tree):
    organisation_create(name="甲", kind="enterprise", credit_code=valid_credit_code(2), areas=[tree["district"]])
    with pytest.raises(Conflict):
        organisation_create(name="乙", kind="enterprise", credit_code=valid_credit_code(2), areas=[tree["district"]])
    assert Organisation.objects.count() == 1


def test_an_organisation_must_serve_an_area():
    with pytest.raises(InvalidInput) as raised:
        organisation_create(name="甲", kind="enterprise", credit_code=valid_credit_code(3))
    assert raised.value.code == "organisation_areas_missing"
    assert not Organisation.objects.exists()


def test_a_duplicate_credit_code_is_a_conflict(world):
    code = valid_credit_code(902, "91")
    organisation_create(name="甲公司", kind="enterprise", credit_code=code, areas=[world["C1"]])
    with pytest.raises(Conflict) as refused:
        organisation_create(name="乙公司", kind="enterprise", credit_code=code, areas=[world["C1"]])
    assert refused.value.code == "credit_code_taken" and Organisation.objects.filter(credit_code=code).count() == 1
