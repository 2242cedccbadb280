import pytest

from civic.errors import Conflict, InvalidInput
from civic.models import Area, AreaLevel
from civic.selectors import area_ancestors, area_descendants
from civic.services import area_create

pytestmark = pytest.mark.django_db


def test_tree_paths_answer_containment_without_queries(tree, django_assert_num_queries):
    city, sub, cell = tree["city"], tree["subdistrict"], tree["cells"][0]
    assert cell.path == f"/{city.code}/{tree['district'].code}/{sub.code}/{cell.parent.code}/{cell.code}/"
    assert cell.depth == 4
    with django_assert_num_queries(0):
        assert city.contains(cell)
        assert sub.contains(cell)
        assert cell.contains(cell)
        assert not cell.contains(sub)


def test_descendants_and_ancestors(tree, django_assert_num_queries):
    sub = tree["subdistrict"]
    assert set(area_descendants(sub)) == set(Area.objects.filter(level__in=["community", "grid"]))
    assert sub not in area_descendants(sub)
    assert sub in area_descendants(sub, include_self=True)
    with django_assert_num_queries(1):
        chain = area_ancestors(tree["cells"][-1])
    assert [a.level for a in chain] == ["city", "district", "subdistrict", "community"]


def test_prefix_codes_do_not_leak_into_siblings(db):
    city = area_create(code="1", name="市", level=AreaLevel.CITY)
    d1 = area_create(code="11", name="区一", level=AreaLevel.DISTRICT, parent=city)
    d11 = area_create(code="111", name="区二", level=AreaLevel.DISTRICT, parent=city)
    assert not d1.contains(d11)
    assert list(area_descendants(d1)) == []


@pytest.mark.parametrize(
    ("level", "parent_key", "code"),
    [
        ("district", None, "area_level_order"),
        ("community", "district", "area_level_order"),
        ("city", "city", "area_level_order"),
        ("village", "city", "area_level_unknown"),
    ],
)
def test_level_must_follow_the_tree(tree, level, parent_key, code):
    before = Area.objects.count()
    with pytest.raises(InvalidInput) as raised:
        area_create(code="X1", name="新区域", level=level, parent=tree[parent_key] if parent_key else None)
    assert raised.value.code == code
    assert Area.objects.count() == before


def test_duplicate_code_is_a_conflict(tree):
    with pytest.raises(Conflict) as raised:
        area_create(code=tree["district"].code, name="重复", level="district", parent=tree["city"])
    assert raised.value.code == "area_code_taken"
    assert tree["district"].code in str(raised.value.message)


@pytest.mark.parametrize(("code", "name"), [("", "名称"), ("X9", "  "), ("a/b", "名称")])
def test_incomplete_or_bad_codes_are_refused(tree, code, name):
    with pytest.raises(InvalidInput):
        area_create(code=code, name=name, level="district", parent=tree["city"])


def test_a_duplicate_area_code_is_a_conflict(world):
    with pytest.raises(Conflict) as refused:
        area_create(code="7701", name="重复区", level="district", parent=world["city"])
    assert refused.value.code == "area_code_taken"
