import pytest

from proposals.selectors import policy_for

pytestmark = pytest.mark.django_db


def test_rules_page(client, pworld):
    client.force_login(pworld["official_here"])
    page = client.get(f"/proposals/rules/{pworld['C1'].code}/").content.decode()
    assert "一街道" in page  # it says whose rules the community follows now
    client.post(
        f"/proposals/rules/{pworld['C1'].code}/",
        {"endorsement_threshold": 10, "collection_days": 20, "response_working_days": 5},
    )
    assert policy_for(pworld["c1a"]).endorsement_threshold == 10
    client.force_login(pworld["resident"])
    assert client.get(f"/proposals/rules/{pworld['C1'].code}/").status_code == 403
