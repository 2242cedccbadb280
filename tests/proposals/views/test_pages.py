import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from proposals import services
from proposals.models import Proposal
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user))
    return api_client


def _grow(pworld, n):
    for i in range(n):
        person = UserFactory()
        verify(person, pworld["c1a"])
        p = services.proposal_create(
            author=person,
            title=f"建议第{i}条内容",
            body="这是一条测试用的建议内容。",
            category=pworld.category,
            area=pworld["C1"],
        )
        p = services.proposal_publish(actor=person, proposal=p)
        services.comment_add(author=person, proposal=p, body="评论", stance="for")


@pytest.mark.parametrize("url", ["/api/proposals/", "/proposals/", "/proposals/?sort=closest", "/proposals/?q=建议"])
def test_list_queries_do_not_grow_with_rows(client, pworld, url):
    _grow(pworld, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(pworld, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_detail_page_queries_do_not_grow_with_comments(client, make_proposal, pworld):
    p = make_proposal()
    for i in range(2):
        services.comment_add(author=pworld["member"], proposal=p, body=f"评论{i}")
    with CaptureQueriesContext(connection) as small:
        client.get(p.get_absolute_url())
    for i in range(10):
        c = services.comment_add(author=UserFactory(), proposal=p, body=f"更多评论{i}")
        services.comment_add(author=UserFactory(), proposal=p, body="回复", parent=c)
    with CaptureQueriesContext(connection) as large:
        assert client.get(p.get_absolute_url()).status_code == 200
    assert len(large) == len(small)


def test_pages_walk_through(client, pworld):
    client.force_login(pworld["resident"])
    form = client.get("/proposals/new/").content.decode()
    assert "一社区" in form and 'name="channel"' not in form
    response = client.post(
        "/proposals/new/",
        {
            "title": "楼道灯长期不亮",
            "body": "3 栋楼道灯坏了两个月。",
            "category": pworld.category.pk,
            "area": pworld["C1"].pk,
            "publish": "1",
        },
    )
    p = Proposal.objects.get()
    assert response["Location"] == p.get_absolute_url() and p.state == "published"
    page = client.get(p.get_absolute_url()).content.decode()
    assert "联署这条建议" in page and "0</strong> / 3" in page.replace("\n", "")
    client.post(f"/proposals/{p.pk}/comment/", {"body": "大家来支持", "stance": "for"})
    assert "1 支持" in client.get(p.get_absolute_url()).content.decode()
    bad = client.post(
        f"/proposals/{p.pk}/cosponsor/",
        {"pledge_kind": "money", "pledge_amount": ""},
        HTTP_REFERER=f"http://testserver{p.get_absolute_url()}",
        follow=True,
    )
    assert "请填写承诺的金额。" in bad.content.decode()


def test_staff_see_the_channel_fields_and_the_answer_queue(client, make_proposal, pworld):
    make_proposal()
    client.force_login(pworld["organiser_here"])
    assert 'name="channel"' in client.get("/proposals/new/").content.decode()
    assert client.get("/proposals/answers/").status_code == 403
    client.force_login(pworld["official_here"])
    assert "楼道灯长期不亮" in client.get("/proposals/answers/").content.decode()


def test_officials_manage_categories(client, pworld):
    client.force_login(pworld["resident"])
    assert client.get("/proposals/categories/").status_code == 403
    client.force_login(pworld["official_city"])
    client.post("/proposals/categories/", {"name": "加装电梯", "description": "", "position": 5, "is_active": "on"})
    page = client.post("/proposals/categories/", {"name": "加装电梯", "position": 6})
    assert "已有同名的类别。" in page.content.decode()


def test_people_without_standing_are_told_how_to_get_it(client, pworld):
    client.force_login(pworld["unverified"])
    assert "申请居住核验" in client.get("/proposals/new/").content.decode()


def test_authors_edit_their_comment_within_the_window(client, make_proposal, pworld, settings):
    p = make_proposal()
    c = services.comment_add(author=pworld["member"], proposal=p, body="原来的评论")
    client.force_login(pworld["member"])
    assert f'action="/proposals/comments/{c.pk}/edit/"' in client.get(p.get_absolute_url()).content.decode()
    client.post(f"/proposals/comments/{c.pk}/edit/", {"body": "改过的评论"})
    assert "改过的评论" in client.get(p.get_absolute_url()).content.decode()
    settings.PROPOSAL_COMMENT_EDIT_MINUTES = 0
    assert f'action="/proposals/comments/{c.pk}/edit/"' not in client.get(p.get_absolute_url()).content.decode()


@pytest.mark.parametrize("through", ["page", "api"])
def test_a_proposal_that_cannot_be_published_leaves_no_draft_behind(client, api_client, pworld, monkeypatch, through):
    """Write-and-publish is one action: if publishing fails, nothing is written."""
    from civic.errors import Conflict

    def broken_policy(area):
        raise Conflict("policy_missing", "No policy.")

    monkeypatch.setattr(services.transitions, "policy_for", broken_policy)
    data = {"title": "楼道灯长期不亮", "body": "3 栋楼道灯坏了两个月。", "category": pworld.category.pk}
    if through == "page":
        client.force_login(pworld["resident"])
        response = client.post("/proposals/new/", {**data, "area": pworld["C1"].pk, "publish": "1"})
        assert response.status_code == 200
    else:
        response = as_user(api_client, pworld["resident"]).post(
            "/api/proposals/", {**data, "area": pworld["C1"].code, "publish": True}, format="json"
        )
        assert response.status_code == 409
    assert not Proposal.objects.exists()
