"""The result through the API: the final text, publication, the comparison and the report."""

import pytest
from rest_framework.test import APIClient

from consultations.models import TextUnit
from tests.consultations.results_fixtures import answered_consultation

pytestmark = pytest.mark.django_db


def test_the_result_through_the_api(world, make_consultation):
    consultation, opinions = answered_consultation(world, make_consultation)
    api = APIClient()
    base = f"/api/consultations/{consultation.pk}"
    api.force_authenticate(world["resident"])
    assert api.post(f"{base}/final/").status_code == 403
    assert api.get(f"{base}/report/").status_code == 403
    api.force_authenticate(world["official_here"])
    started = api.post(f"{base}/final/")
    assert started.status_code == 201
    unit = next(u for u in started.json() if u["anchor"] == "art1-p1")
    assert unit["replaces"] == "art1-p1"
    bad = api.patch(
        f"{base}/final/units/{unit['id']}/", {"text": "x", "opinions": [opinions["plain"].pk]}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "opinion_not_adopted"
    ok = api.patch(
        f"{base}/final/units/{unit['id']}/",
        {"text": "为了维护业主的合法权益，根据《民法典》，制定本规约。", "opinions": [opinions["wording"].pk]},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["changed_by"] == [opinions["wording"].pk]
    added = api.post(
        f"{base}/final/units/", {"after": unit["id"], "kind": "paragraph", "text": "新增一款。"}, format="json"
    )
    assert added.status_code == 201
    assert api.delete(f"{base}/final/units/{added.json()['id']}/").status_code == 204
    assert api.delete(f"{base}/final/units/999999/").status_code == 404
    concluded = api.post(f"{base}/conclude/", {}, format="json")
    assert concluded.status_code == 200 and concluded.json()["state"] == "concluded"
    assert api.post(f"{base}/conclude/", {}, format="json").status_code == 409
    api.force_authenticate(None)
    rows = api.get(f"{base}/comparison/").json()
    changed = next(r for r in rows if r["anchor"] == "art1-p1")
    assert changed["status"] == "changed" and changed["opinions"] == [opinions["wording"].pk]
    assert "<ins>根据《民法典》，</ins>" in changed["diff_html"]
    report = api.get(f"{base}/report/").json()
    assert report["opinions"] == 5 and report["adoption_rate"] == pytest.approx(0.25)
    assert TextUnit.objects.filter(version__consultation=consultation, version__kind="final").exists()
