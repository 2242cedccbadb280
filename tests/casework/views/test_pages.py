"""The casework pages: filing in a phone-sized form with the similar reports first, the public report page,
the actions of whoever handles it now, the board, the queue and the officials' pages."""

import pytest

from casework.models import Report
from tests.casework.conftest import photo

pytestmark = pytest.mark.django_db


def test_filing_shows_the_open_reports_of_that_category_first(client, cw, file_report):
    existing = file_report(place="3 栋门口路灯")
    client.force_login(cw["resident_elsewhere"])
    page = client.get("/casework/new/", {"cell": "7701001001001", "category": "lamp"}).content.decode()
    assert existing.get_absolute_url() in page and "#me-too" in page
    fragment = client.get("/casework/similar/", {"cell": "7701001001001", "category": "lamp"}).content.decode()
    assert f"#{existing.pk}" in fragment
    response = client.post(
        "/casework/new/?cell=7701001001001",
        {"cell": "7701001001001", "category": "lamp", "place": "5 栋", "text": "也不亮", "photos": [photo()]},
    )
    report = Report.objects.exclude(pk=existing.pk).get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.reporter == cw["resident_elsewhere"] and report.photo_count == 1


def test_a_refused_filing_stays_on_the_form_with_the_error(client, cw):
    client.force_login(cw["resident"])
    photos = [photo(f"{n}.jpg") for n in range(7)]
    response = client.post(
        "/casework/new/?cell=7701001001001",
        {"cell": "7701001001001", "category": "lamp", "place": "5 栋", "text": "不亮", "photos": photos},
    )
    assert response.status_code == 400
    assert "6" in response.content.decode() and not Report.objects.exists()


def test_without_a_cell_the_resident_walks_the_tree(client, cw):
    client.force_login(cw["unverified"])
    page = client.get("/casework/new/").content.decode()
    assert "七七市" in page
    page = client.get("/casework/new/", {"walk": "7701001001"}).content.decode()
    assert "一网格" in page and "二网格" in page
    refused = client.get("/casework/new/", {"cell": "7701001001001"})
    assert refused.status_code == 403  # not verified: asked to get verified


def test_the_public_page_never_names_the_reporter(client, cw, file_report):
    report = file_report()
    name = cw["resident"].public_name
    public = client.get(report.get_absolute_url()).content.decode()
    assert report.place in public and "Reporter (not public)" not in public and "不公开" not in public
    client.force_login(cw["grid_worker_here"])
    handler = client.get(report.get_absolute_url()).content.decode()
    assert name in handler and "/accept/" in handler


def test_the_loop_through_the_pages(client, cw, file_report):
    report = file_report()
    url = report.get_absolute_url()
    client.force_login(cw["grid_worker_here"])
    client.post(f"{url}accept/")
    assert "/dispatch/" in client.get(url).content.decode()
    client.post(f"{url}dispatch/", {"unit": cw.unit.pk})
    client.force_login(cw["unit_member"])
    client.post(f"{url}start/")
    refused = client.post(f"{url}resolve/", {"note": "修好了"}, HTTP_REFERER=url)
    assert refused.status_code == 302  # back to the page with the message
    report.refresh_from_db()
    assert report.state == "in_progress"
    client.post(f"{url}resolve/", {"note": "修好了", "photos": [photo()]})
    client.force_login(cw["resident"])
    assert 'name="level"' in client.get(url).content.decode()
    client.post(f"{url}rate/", {"level": 4, "comment": "", "channel": "self"})
    report.refresh_from_db()
    assert report.state == "closed" and report.rating_level == 4


def test_board_filters_and_the_overdue_list(client, cw, file_report):
    lamp = file_report()
    rubbish = file_report(key="rubbish", place="垃圾房")
    page = client.get("/areas/7701/casework/", {"category": "rubbish"}).content.decode()
    assert rubbish.place in page and lamp.place not in page
    assert client.get("/areas/7701/casework/overdue/").status_code == 200
    assert client.get("/areas/7702/casework/").content.decode().count("case-card") == 0
    assert "/areas/7701/casework/" in client.get("/casework/").content.decode()


def test_queue_pages_need_a_role_and_list_the_work(client, cw, at_state):
    report = at_state("dispatched")
    client.force_login(cw["resident"])
    assert client.get("/casework/queue/").status_code == 403
    client.force_login(cw["unit_member"])
    page = client.get("/casework/queue/").content.decode()
    assert report.place in page and "data-queue-url" in page
    assert report.place in client.get("/casework/queue/lists/").content.decode()


def test_officials_define_and_override_categories(client, cw):
    client.force_login(cw["resident"])
    page = client.get("/areas/7701/casework/categories/").content.decode()
    assert "路灯照明" in page and 'name="key"' not in page
    client.force_login(cw["official_here"])
    page = client.get("/areas/7701001/casework/categories/", {"override": "rubbish"}).content.decode()
    assert 'value="rubbish"' in page
    response = client.post(
        "/areas/7701001/casework/categories/",
        {
            "key": "rubbish",
            "name": "垃圾清运",
            "unit_kind": "sanitation",
            "response_hours": 1,
            "handling_days": 1,
            "is_offered": "on",
            "position": 5,
        },
    )
    assert response.status_code == 302
    from casework.selectors import category_in

    assert category_in(cw["c1a"], "rubbish").area == cw["S1"]


def test_escalations_page_and_acknowledging(client, cw, at_state):
    from tests.casework.conftest import escalation_in

    escalation = escalation_in(cw, at_state("dispatched"))
    client.force_login(cw["organiser_here"])
    assert escalation.report.place in client.get("/casework/escalations/").content.decode()
    client.post(f"/casework/escalations/{escalation.pk}/acknowledge/", {"note": "请尽快", "next": "escalations"})
    escalation.refresh_from_db()
    assert escalation.acknowledged_by == cw["organiser_here"] and escalation.note == "请尽快"


def test_officials_see_the_units_and_what_they_handle(client, cw):
    client.force_login(cw["resident"])
    assert client.get("/areas/7701001/casework/units/").status_code == 403
    client.force_login(cw["official_here"])
    page = client.get("/areas/7701001/casework/units/").content.decode()
    assert "一街道城管科" in page and "路灯照明" in page
    response = client.post(
        "/areas/7701001/casework/units/",
        {"organisation": cw.organisation.pk, "kind": "community", "phone": "", "category_key": "rubbish"},
    )
    assert response.status_code == 302
    from casework.selectors import units_serving

    assert cw.organisation.name in [u.name for u in units_serving(cw["c1b"], "rubbish")]


def test_moderation_hides_a_report_from_the_public_but_not_from_its_reporter(client, cw, file_report, settings):
    from civic.services import content_report

    settings.MODERATION_AUTO_HIDE_REPORTS = 2
    report = file_report(text="一段不该公开的文字")
    for person in ("resident_elsewhere", "member"):
        content_report(reporter=cw[person], obj=report, reason="privacy")
    report.refresh_from_db()
    assert report.is_hidden
    assert client.get(report.get_absolute_url()).status_code == 404
    assert report.place not in client.get("/areas/7701/casework/").content.decode()
    client.force_login(cw["resident"])
    assert client.get(report.get_absolute_url()).status_code == 200
    client.force_login(cw["grid_worker_here"])
    assert "一段不该公开的文字" in client.get(report.get_absolute_url()).content.decode()
