"""An Open311 client that knows only the published GeoReport v2 specification: it reads the discovery,
lists the services, posts a request with an API key and reads its status back, in JSON and in XML (parsed
with xml.etree). Only the specification's names are used below."""

import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from casework.models import Category, Open311Request, Report, ReportState
from civic.services import organisation_token_issue
from tests.casework.factories import make_category, make_report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]  # fmt: skip


@pytest.fixture
def hotline(world):
    """The city's categories and a hotline centre (an organisation) holding an API key."""
    w = world
    make_category(w["city"], key="lamp", name="路灯不亮", name_en="Street lamp out", created_by=w["official_city"])
    make_category(w["city"], key="drain", name="下水道堵塞", name_en="Blocked drain", created_by=w["official_city"])
    org = w.organisation
    org.confirmed_at = timezone.now()
    org.save(update_fields=["confirmed_at"])
    _token, key = organisation_token_issue(actor=w["admin"], organisation=org, label="12345 热线")
    w.key = key
    return w


def xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>") or response.content.startswith(
        b'<?xml version="1.0" encoding="UTF-8"?>'
    )
    return ET.fromstring(response.content)


def errors_of(response, fmt):
    if fmt == "json":
        return [(e["code"], e["description"]) for e in response.json()]
    root = xml(response)
    assert root.tag == "errors"
    return [(int(e.findtext("code")), e.findtext("description")) for e in root.findall("error")]


def test_a_spec_client_lists_services_posts_a_request_and_reads_it_back(client, hotline):
    w = hotline
    discovery = client.get(BASE + "discovery.json").json()
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert {"text/xml", "application/json"} <= set(endpoint["formats"])
    assert xml(client.get(BASE + "discovery.xml")).find("endpoints/endpoint/specification") is not None

    services = xml(client.get(BASE + "services.xml", {"jurisdiction_id": "77"}))
    assert services.tag == "services"
    codes = [s.findtext("service_code") for s in services.findall("service")]
    assert codes == ["drain", "lamp"]
    for service in services.findall("service"):
        for name in ("service_code", "service_name", "description", "metadata", "type", "keywords", "group"):
            assert service.find(name) is not None, name
    as_json = client.get(BASE + "services.json", {"jurisdiction_id": "77"}).json()
    assert isinstance(as_json, list) and [s["service_code"] for s in as_json] == codes
    definition = client.get(BASE + "services/lamp.json", {"jurisdiction_id": "77"}).json()
    assert definition["service_code"] == "lamp"
    assert definition["attributes"][0]["code"] == "grid_cell"
    assert (
        xml(client.get(BASE + "services/lamp.xml", {"jurisdiction_id": "77"})).find("attributes/attribute/code").text
        == "grid_cell"
    )

    posted = client.post(
        BASE + "requests.json",
        {
            "jurisdiction_id": "77",
            "api_key": w.key,
            "service_code": "lamp",
            "description": "路灯不亮 <已经三天> & 更久",
            "lat": "30.2741234",
            "long": "120.1551234",
            "address_string": "一社区一网格 幸福路 3 号",
            "first_name": "小明",
            "last_name": "王",
            "phone": "13800000000",
            "email": "wang@example.com",
            "media_url": "https://hotline.example.com/photos/1.jpg",
        },
    )
    assert posted.status_code == 200
    answer = posted.json()
    assert isinstance(answer, list) and len(answer) == 1
    request_id = answer[0]["service_request_id"]

    root = xml(client.get(BASE + f"requests/{request_id}.xml", {"jurisdiction_id": "77"}))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == REQUEST_FIELDS
    assert request.findtext("service_request_id") == request_id
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "lamp"
    assert request.findtext("description") == "路灯不亮 <已经三天> & 更久"  # escaped on the wire, intact here
    assert request.findtext("media_url") == "https://hotline.example.com/photos/1.jpg"
    assert request.findtext("lat") == "30.274" and request.findtext("long") == "120.155"  # about 100 m
    assert WITH_OFFSET.match(request.findtext("requested_datetime"))
    assert WITH_OFFSET.match(request.findtext("expected_datetime"))
    assert request.findtext("status_notes")

    [row] = client.get(BASE + f"requests/{request_id}.json", {"jurisdiction_id": "77"}).json()
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open" and row["lat"] == 30.274
    assert WITH_OFFSET.match(row["updated_datetime"])
    # the reporter's name, phone and e-mail never go out
    text = json.dumps(row, ensure_ascii=False)
    assert "小明" not in text and "13800000000" not in text and "wang@" not in text

    # The report landed in the cell the address names, from the hotline, for the caller.
    report = Report.objects.get(pk=int(request_id))
    assert report.cell == w["c1a"] and report.channel == "open311"
    assert report.reporter is None and report.reporter_name == "王 小明" and report.reporter_phone == "13800000000"
    assert report.open311.needs_placing is False and report.open311.email == "wang@example.com"

    # tokens/{token}: the id of the request the token stands for
    token = answer[0]["token"]
    resolved = xml(client.get(BASE + f"tokens/{token}.xml", {"jurisdiction_id": "77"}))
    assert resolved.find("request/service_request_id").text == request_id

    # Closed with the fine state in the notes once it is handled.
    Report.objects.filter(pk=report.pk).update(
        state=ReportState.REFERRED, referred_to="市水务集团", accepted_at=timezone.now(), closed_at=timezone.now()
    )
    [row] = client.get(BASE + f"requests/{request_id}.json", {"jurisdiction_id": "77"}).json()
    assert row["status"] == "closed" and "市水务集团" in row["status_notes"]
    assert row["expected_datetime"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_are_a_list_of_code_and_description(client, hotline, fmt):
    w = hotline
    good = {"jurisdiction_id": "77", "api_key": w.key, "service_code": "lamp", "description": "灯坏了",
            "address_string": "一网格"}  # fmt: skip
    refused = client.post(BASE + f"requests.{fmt}", {**good, "api_key": "not-a-key"})
    assert refused.status_code == 403 and errors_of(refused, fmt)[0][0] == 403
    missing_key = client.post(BASE + f"requests.{fmt}", {k: v for k, v in good.items() if k != "api_key"})
    assert missing_key.status_code == 403
    unknown = client.post(BASE + f"requests.{fmt}", {**good, "service_code": "ufo"})
    assert unknown.status_code == 400
    assert errors_of(unknown, fmt) == [(400, "没有代码为 ufo 的服务。")]
    for field in ("service_code", "description"):
        response = client.post(BASE + f"requests.{fmt}", {k: v for k, v in good.items() if k != field})
        assert response.status_code == 400 and field in errors_of(response, fmt)[0][1]
    nowhere = client.post(BASE + f"requests.{fmt}", {k: v for k, v in good.items() if k != "address_string"})
    assert nowhere.status_code == 400
    assert client.get(BASE + f"requests/999999.{fmt}", {"jurisdiction_id": "77"}).status_code == 404
    assert client.get(BASE + f"services.{fmt}", {"jurisdiction_id": "00"}).status_code == 404
    assert client.get(BASE + f"requests.{fmt}", {"jurisdiction_id": "77", "start_date": "yesterday"}).status_code == 400
    assert client.get(BASE + f"requests.{fmt}", {"jurisdiction_id": "77", "status": "pending"}).status_code == 400
    assert Report.objects.count() == 0


def test_a_resident_files_with_their_own_token_and_someone_else_may_not(client, hotline):
    w = hotline
    mine = Token.objects.create(user=w["resident"])
    posted = client.post(
        BASE + "requests.xml",
        {"api_key": mine.key, "service_code": "drain", "description": "下水道堵了", "lat": "30.1", "long": "120.1",
         "attribute[grid_cell]": w["c1b"].code},
    )  # fmt: skip
    assert posted.status_code == 200  # one city: jurisdiction_id may be left out
    request_id = xml(posted).find("request/service_request_id").text
    report = Report.objects.get(pk=int(request_id))
    assert report.reporter == w["resident"] and report.channel == "online" and report.cell == w["c1b"]
    stranger = Token.objects.create(user=w["unverified"])
    refused = client.post(
        BASE + "requests.json",
        {"api_key": stranger.key, "service_code": "drain", "description": "x", "address_string": "一网格"},
    )
    assert refused.status_code == 403
    unknown_cell = client.post(
        BASE + "requests.json",
        {"api_key": mine.key, "service_code": "drain", "description": "x", "address_string": "路口",
         "attribute[grid_cell]": "0000"},
    )  # fmt: skip
    assert unknown_cell.status_code == 400


def test_a_request_that_cannot_be_placed_waits_in_the_queue_of_the_area_it_names(client, hotline):
    w = hotline
    base = {"api_key": w.key, "service_code": "lamp", "description": "灯坏了"}
    district = client.post(BASE + "requests.json", {**base, "address_string": "一区 某路 8 号"}).json()[0]
    nowhere = client.post(BASE + "requests.json", {**base, "lat": "30.2", "long": "120.2"}).json()[0]
    in_district = Report.objects.get(pk=int(district["service_request_id"]))
    assert in_district.cell == w["D1"] and in_district.open311.needs_placing
    in_city = Report.objects.get(pk=int(nowhere["service_request_id"]))
    assert in_city.cell == w["city"] and in_city.open311.needs_placing
    assert Open311Request.objects.filter(needs_placing=True).count() == 2


def test_a_revoked_key_or_an_unconfirmed_organisation_is_refused(client, hotline):
    from civic.models import OrganisationToken

    w = hotline
    base = {"api_key": w.key, "service_code": "lamp", "description": "灯坏了", "address_string": "一网格"}
    OrganisationToken.objects.update(revoked_at=timezone.now())
    assert client.post(BASE + "requests.json", base).status_code == 403
    OrganisationToken.objects.update(revoked_at=None)
    w.organisation.confirmed_at = None
    w.organisation.save(update_fields=["confirmed_at"])
    assert client.post(BASE + "requests.json", base).status_code == 403


def test_get_requests_filters_as_the_specification_says(client, hotline, django_assert_max_num_queries):
    w = hotline
    lamp, drain = Category.objects.get(key="lamp"), Category.objects.get(key="drain")
    now = timezone.now()
    a = make_report(w["c1a"], lamp, submitted_at=now - timezone.timedelta(days=2))
    b = make_report(w["c1a"], drain, state=ReportState.CLOSED, submitted_at=now - timezone.timedelta(days=5))
    c = make_report(w["c2a"], lamp, state=ReportState.DISPATCHED, submitted_at=now - timezone.timedelta(days=1))
    make_report(w["c1a"], lamp, submitted_at=now - timezone.timedelta(days=120))  # outside the default 90 days
    make_report(w["c1a"], lamp, submitted_at=now - timezone.timedelta(days=1), is_hidden=True)  # hidden

    def ids(**params):
        rows = client.get(BASE + "requests.json", params).json()
        return [row["service_request_id"] for row in rows]

    assert ids() == [str(c.pk), str(a.pk), str(b.pk)]
    assert ids(service_code="drain") == [str(b.pk)]
    assert ids(status="open") == [str(c.pk), str(a.pk)]
    assert ids(status="closed") == [str(b.pk)]
    assert ids(status="open,closed") == [str(c.pk), str(a.pk), str(b.pk)]
    assert ids(service_request_id=f"{a.pk},{b.pk}") == [str(a.pk), str(b.pk)]
    start = timezone.localtime(now - timezone.timedelta(days=3)).isoformat(timespec="seconds")
    end = timezone.localtime(now - timezone.timedelta(hours=36)).isoformat(timespec="seconds")
    assert ids(start_date=start, end_date=end) == [str(a.pk)]
    root = xml(client.get(BASE + "requests.xml", {"status": "open"}))
    assert [r.findtext("service_request_id") for r in root.findall("request")] == [str(c.pk), str(a.pk)]
    assert root.find("request/agency_responsible").text  # the unit of the dispatched one
    for _ in range(10):
        make_report(w["c1b"], lamp, state=ReportState.DISPATCHED, submitted_at=now - timezone.timedelta(days=1))
    with django_assert_max_num_queries(3):  # the city, the reports with their categories, units and records
        client.get(BASE + "requests.xml")
