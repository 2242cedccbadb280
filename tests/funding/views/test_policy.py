"""The subsidy policy page and API."""

from decimal import Decimal

import pytest

from funding.models import SubsidyPolicy
from funding.services import policy_publish

FORM = {
    "share": "30",
    "cap_per_project": "100000",
    "cap_per_area_year": "250000",
    "min_self_funded_share": "10",
    "min_acceptance_score": "80",
    "min_satisfaction_rate": "80",
    "rating_days": "30",
    "notice_days": "7",
    "objection_days": "7",
    "answer_days": "5",
    "advance_start": "30",
    "advance_midpoint": "50",
    "advance_completion": "80",
    "note": "区级实施办法",
}


@pytest.mark.django_db
def test_an_official_publishes_from_the_page_and_residents_below_see_it_inherited(client, world):
    client.force_login(world["official_here"])
    page = client.get("/areas/7701/subsidy-policy/")
    assert page.status_code == 200 and "发布新版本" in page.content.decode()
    response = client.post("/areas/7701/subsidy-policy/", FORM, follow=True)
    assert "第 1 版补助政策已生效" in response.content.decode()
    policy = SubsidyPolicy.objects.get()
    assert (policy.share, policy.min_satisfaction_rate, policy.advance_midpoint) == (
        Decimal("0.3000"),
        Decimal("0.8000"),
        Decimal("0.5000"),
    )
    client.logout()
    page = client.get("/areas/7701001001001/subsidy-policy/").content.decode()
    assert "继承自一区第 1 版" in page and "30%" in page and "¥100,000.00" in page
    assert "发布新版本" not in page
    assert "开工时支付暂定奖补的 30%" in page


@pytest.mark.django_db
def test_the_form_shows_a_broken_rule_next_to_its_field_and_writes_nothing(client, world):
    client.force_login(world["official_here"])
    response = client.post("/areas/7701/subsidy-policy/", {**FORM, "advance_midpoint": "20"})
    assert response.status_code == 200
    assert "预拨比例是累计的" in response.content.decode()
    assert not SubsidyPolicy.objects.exists()


@pytest.mark.django_db
def test_others_cannot_post_a_policy(client, world):
    client.force_login(world["official_elsewhere"])
    assert client.post("/areas/7701/subsidy-policy/", FORM).status_code == 403
    assert not SubsidyPolicy.objects.exists()


@pytest.mark.django_db
def test_the_api_shows_and_publishes_versions(api_client, world):
    assert api_client.get("/api/areas/7701001/subsidy-policy/").json()["in_force"] is None
    api_client.force_authenticate(world["official_here"])
    created = api_client.post(
        "/api/areas/7701/subsidy-policy/", {"share": "0.3", "cap_per_project": "100000.00"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 1 and created.json()["advances"] == []
    api_client.force_authenticate(None)
    body = api_client.get("/api/areas/7701001/subsidy-policy/").json()
    assert body["inherited_from"] == "7701" and body["in_force"]["share"] == "0.3000" and body["versions"] == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,payload,status",
    [
        ("official_here", {"share": "0.3", "cap_per_project": "10.005"}, 400),
        ("official_here", {"share": "0.3", "cap_per_project": "-5"}, 400),
        ("official_here", {"share": "1.5"}, 400),
        ("official_here", {"share": "0.3", "advance_start": "0.5", "advance_midpoint": "0.4"}, 400),
        ("official_elsewhere", {"share": "0.3"}, 403),
        (None, {"share": "0.3"}, 401),
    ],
)
def test_the_api_refuses_bad_figures_and_other_people(api_client, world, who, payload, status):
    if who:
        api_client.force_authenticate(world[who])
    response = api_client.post("/api/areas/7701/subsidy-policy/", payload, format="json")
    assert response.status_code == status
    assert not SubsidyPolicy.objects.exists()


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_with_many_versions(client, world, django_assert_max_num_queries):
    def versions(n):
        for i in range(n):
            policy_publish(actor=world["official_here"], area=world["D1"], data={"share": Decimal(i + 1) / 100})

    versions(1)
    client.get("/areas/7701/subsidy-policy/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/areas/7701/subsidy-policy/")
    versions(10)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/areas/7701/subsidy-policy/")


@pytest.mark.django_db
def test_a_new_version_starts_from_the_figures_in_force(client, world):
    policy_publish(
        actor=world["official_here"],
        area=world["D1"],
        data={"share": Decimal("0.3"), "min_satisfaction_rate": Decimal("0.125"), "cap_per_project": Decimal("9000")},
    )
    client.force_login(world["official_here"])
    form = client.get("/areas/7701001/subsidy-policy/").context["form"]
    assert form["share"].value() == "30" and form["min_satisfaction_rate"].value() == "12.5"
    assert form["cap_per_project"].value() == Decimal("9000.00")
