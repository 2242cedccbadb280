import pytest

from proposals.models import Proposal
from proposals.selectors import proposal_list, similar_proposals

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(make_proposal, pworld):
    titles = [
        "柳岸小区楼道灯长期不亮",
        "望湖路背街小巷垃圾堆放整治",
        "老旧小区加装电梯",
        "增设 LED 路灯",
        "社区口袋公园补种绿植",
    ]
    return {t: make_proposal(title=t, body=f"{t}。详细情况如下，请大家支持。") for t in titles}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("灯", {"柳岸小区楼道灯长期不亮", "增设 LED 路灯"}),
        ("路灯", {"增设 LED 路灯"}),
        ("小区", {"柳岸小区楼道灯长期不亮", "老旧小区加装电梯"}),
        ("老旧小区", {"老旧小区加装电梯"}),
        ("led", {"增设 LED 路灯"}),
        ("背街 垃圾", {"望湖路背街小巷垃圾堆放整治"}),
        ("火星", set()),
    ],
)
def test_search_finds_chinese_of_any_length(corpus, query, expected):
    assert {p.title for p in proposal_list(query=query)} == expected


def test_similar_proposals_while_writing(corpus, pworld, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = similar_proposals(title="楼道的灯不亮了", area=pworld["c1a"])
    assert found and found[0].title == "柳岸小区楼道灯长期不亮"
    assert similar_proposals(title="楼道的灯不亮了", area=pworld["C2"]) == []


def test_list_filters_by_area_below_and_sorts(make_proposal, pworld):
    from proposals.selectors import proposal_list as plist
    from tests.world import verify

    a = make_proposal(title="一社区的事情")
    verify(pworld["member"], pworld["c2a"])
    b = make_proposal(author="member", area="C2", title="二社区的事情")
    assert list(plist(area=pworld["D1"])) == [a]
    assert set(plist(area=pworld["city"])) == {a, b}
    Proposal.objects.filter(pk=a.pk).update(threshold=3)
    Proposal.objects.filter(pk=b.pk).update(endorsement_count=2, threshold=3)
    assert plist(sort="endorsed").first() == b
    assert plist(sort="closest").first() == b
