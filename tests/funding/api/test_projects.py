"""The micro-project and award API: the whole chain from an adopted proposal to the settlement payment,
the refusals with their codes (nothing written on a refusal), and the project page's bounded queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import (
    AwardObjection,
    Commitment,
    EntryKind,
    LedgerEntry,
    MicroProject,
    SubsidyAward,
)
from tests.factories import UserFactory
from tests.world import fresh, verify

from ..conftest import end_notice, end_rating, plan
from ..services.test_projects import CHECKLIST, photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def as_user(api_client, user):
    api_client.force_authenticate(fresh(user) if user is not None else None)
    return api_client


def create_body(w, proposal=None, **changes):
    data = plan(**changes)
    data["planned_start"] = data["planned_start"].isoformat()
    data["planned_end"] = data["planned_end"].isoformat()
    data["milestones"] = [{**m, "due_on": m["due_on"].isoformat()} for m in data["milestones"]]
    data["implementer"] = w.organisation.pk
    if proposal is not None:
        data["proposal"] = proposal.pk
    return data


def post(client, url, data=None, **kwargs):
    kwargs.setdefault("format", "json")
    return client.post(url, data or {}, HTTP_ACCEPT_LANGUAGE="en", **kwargs)


def ledger_total(project_id, kind):
    return sum(
        LedgerEntry.objects.filter(project_id=project_id, kind=kind).values_list("amount", flat=True), Decimal(0)
    )


def test_the_whole_chain_from_adopted_proposal_to_settlement_payment(api_client, fworld, adopted):
    w = fworld
    official = as_user(api_client, w["official_here"])
    waiting = official.get("/api/proposals/adopted-without-project/").json()
    assert [p["id"] for p in waiting["results"]] == [adopted.pk]

    created = post(official, "/api/projects/", create_body(w, adopted))
    assert created.status_code == 201, created.json()
    project = created.json()
    pk = project["id"]
    assert project["proposal"] == adopted.pk and project["area"]["code"] == adopted.area.code
    assert project["budget"] == "120000.00" and project["state"] == "planned"
    assert [line["amount"] for line in project["budget_lines"]] == ["80000.00", "40000.00"]
    assert [m["overdue"] for m in project["milestones"]] == [False, False]
    assert project["co_funding"]["total"] == "18000.00"  # the two pledges became commitments
    assert {row["source"]: row["amount"] for row in project["co_funding"]["by_source"]} == {
        "residents": "15000.00",
        "in_kind": "3000.00",
    }
    assert official.get("/api/proposals/adopted-without-project/").json()["count"] == 0

    implementer = as_user(api_client, w["representative"])
    assert post(implementer, f"/api/projects/{pk}/start/").json()["state"] == "in_progress"
    midpoint = next(m for m in project["milestones"] if m["is_midpoint"])
    report = implementer.post(
        f"/api/projects/{pk}/reports/",
        {"text": "一半楼层已换灯", "spend_to_date": "50000.00", "milestone": midpoint["id"], "photos": [photo()]},
        format="multipart",
    )
    assert report.status_code == 201, report.json()
    assert report.json()["spend_to_date"] == "50000.00" and report.json()["milestone_title"] == midpoint["title"]
    assert report.json()["photos"][0]["url"].startswith("http://testserver/media/projects/")
    completed = implementer.post(
        f"/api/projects/{pk}/complete/",
        {"report": "全部灯具已更换。", "photos": [photo("done.jpg")]},
        format="multipart",
    )
    assert completed.status_code == 200 and completed.json()["state"] == "completed"

    official = as_user(api_client, w["official_here"])
    inspected = post(
        official,
        f"/api/projects/{pk}/inspections/",
        {"checklist": CHECKLIST, "verified_cost": "118000.00", "result": "accepted", "invoices": "发票 3 张"},
    )
    assert inspected.status_code == 201, inspected.json()
    assert inspected.json()["score"] == "87.50" and inspected.json()["verified_cost"] == "118000.00"
    residents_commitment = Commitment.objects.get(project_id=pk, source="residents")
    receipt = post(official, f"/api/commitments/{residents_commitment.pk}/receipts/", {"amount": "15000.00"})
    assert receipt.status_code == 201 and receipt.json()["amount"] == "15000.00"

    resident = as_user(api_client, w["resident"])
    assert resident.get(f"/api/projects/{pk}/rating/").json()["rating"] is None
    rated = post(resident, f"/api/projects/{pk}/rating/", {"level": 5, "comment": "晚上亮堂了"})
    assert rated.status_code == 201 and rated.json()["rating"]["level"] == 5
    assert resident.get(f"/api/projects/{pk}/rating/").json()["can_change"] is True
    changed = post(resident, f"/api/projects/{pk}/rating/", {"level": 4})
    assert changed.status_code == 200 and changed.json()["rating"]["level"] == 4
    assert changed.json()["can_change"] is False

    official = as_user(api_client, w["official_here"])
    computed = post(official, f"/api/projects/{pk}/awards/", {"stage": "provisional"})
    assert computed.status_code == 201, computed.json()
    award = computed.json()
    assert award["amount"] == "36000.00" and award["status"] == "notice" and award["steps"][0]["code"] == "share"

    objected = post(as_user(api_client, w["resident"]), f"/api/awards/{award['id']}/objections/", {"text": "偏高"})
    assert objected.status_code == 201 and objected.json()["status"] == "open"
    official = as_user(api_client, w["official_here"])
    end_notice(SubsidyAward.objects.get(pk=award["id"]))
    early = post(official, f"/api/awards/{award['id']}/approve/")
    assert early.status_code == 409 and early.json()["code"] == "objections_open"
    answered = post(
        official,
        f"/api/objections/{objected.json()['id']}/answer/",
        {"upheld": False, "answer": "预算经第三方审核，未发现偏高。"},
    )
    assert answered.status_code == 200 and answered.json()["status"] == "rejected"
    approved = post(official, f"/api/awards/{award['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["charge_area"] == w["D1"].code and approved.json()["charge_year"]

    advance = post(official, f"/api/awards/{award['id']}/advances/", {"condition": "completion"})
    assert advance.status_code == 201, advance.json()
    assert advance.json()["kind"] == "advance" and advance.json()["amount"] == "28800.00"  # 80 % of 36,000

    end_rating(MicroProject.objects.get(pk=pk))
    settlement = post(official, f"/api/projects/{pk}/awards/", {"stage": "settlement"}).json()
    assert settlement["amount"] == "35400.00" and settlement["payout"] == "6600.00"
    end_notice(SubsidyAward.objects.get(pk=settlement["id"]))
    assert post(official, f"/api/awards/{settlement['id']}/approve/").json()["status"] == "approved"
    paid = post(official, f"/api/awards/{settlement['id']}/settlement-payment/")
    assert paid.status_code == 201 and paid.json()["amount"] == "6600.00"
    twice = post(official, f"/api/awards/{settlement['id']}/settlement-payment/")
    assert twice.status_code == 409 and twice.json()["code"] == "nothing_due"
    assert ledger_total(pk, EntryKind.SETTLEMENT) == Decimal("6600.00")

    closed = post(official, f"/api/projects/{pk}/close/")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"

    api_client.force_authenticate(None)
    picture = api_client.get(f"/api/projects/{pk}/").json()
    assert [p["kind"] for p in picture["payments"]] == ["advance", "settlement"]
    assert [a["stage"] for a in picture["awards"]] == ["provisional", "settlement"]
    assert picture["awards"][0]["objections"][0]["answer"].startswith("预算")
    assert picture["satisfaction"]["total"] == 1 and picture["satisfaction"]["rate"] == "1.0000"
    assert picture["satisfaction"]["window"]["open"] is False
    assert picture["inspections"][0]["checklist"][0]["item"] == CHECKLIST[0]["item"]
    assert len(picture["reports"]) == 2 and all(r["photos"] for r in picture["reports"])
    assert picture["co_funding"]["received"] == "15000.00"
    verbs = [line["verb"] for line in picture["timeline"]]
    assert verbs.count("project.created") == 1  # written on both stories, shown once
    assert verbs.index("project.created") > 0  # the proposal's own story comes first
    assert verbs[-2:] == ["project.closed", "proposal.done"]
    times = [line["created_at"] for line in picture["timeline"]]
    assert times == sorted(times)


def test_writes_need_a_signed_in_person_and_the_right_role(api_client, fworld, project):
    w = fworld
    api_client.force_authenticate(None)
    anonymous = post(api_client, "/api/projects/", create_body(w, area=w["C1"].code))
    assert anonymous.status_code == 401
    assert post(api_client, f"/api/projects/{project.pk}/start/").status_code == 401
    listed = api_client.get("/api/projects/", {"area": w["D1"].code, "state": "planned"})
    assert listed.status_code == 200 and [p["id"] for p in listed.json()["results"]] == [project.pk]
    assert api_client.get("/api/projects/", {"state": "flying"}).json()["code"] == "state_unknown"
    assert api_client.get("/api/projects/", {"area": w["D2"].code}).json()["count"] == 0
    assert api_client.get("/api/projects/999999/").status_code == 404
    assert api_client.get("/api/proposals/adopted-without-project/").status_code == 401
    assert as_user(api_client, w["resident"]).get("/api/proposals/adopted-without-project/").status_code == 403

    elsewhere = post(as_user(api_client, w["official_elsewhere"]), "/api/projects/", create_body(w, area="7701001001"))
    assert elsewhere.status_code == 403 and elsewhere.json()["code"] == "not_allowed"
    assert MicroProject.objects.count() == 1

    award = SubsidyAward.objects.get(
        pk=post(
            as_user(api_client, w["official_here"]), f"/api/projects/{project.pk}/awards/", {"stage": "provisional"}
        ).json()["id"]
    )
    end_notice(award)
    refused = post(as_user(api_client, w["resident"]), f"/api/awards/{award.pk}/approve/")
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    assert SubsidyAward.objects.get(pk=award.pk).status == "notice"
    assert not LedgerEntry.objects.filter(kind=EntryKind.AWARD).exists()

    official = as_user(api_client, w["official_here"])
    assert post(official, f"/api/awards/{award.pk}/approve/").status_code == 200
    again = post(official, f"/api/awards/{award.pk}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "award_not_pending"
    post(official, f"/api/projects/{project.pk}/start/")
    first = post(official, f"/api/awards/{award.pk}/advances/", {"condition": "start"})
    assert first.status_code == 201 and first.json()["amount"] == "10800.00"
    twice = post(official, f"/api/awards/{award.pk}/advances/", {"condition": "start"})
    assert twice.status_code == 409 and twice.json()["code"] == "nothing_due"
    assert ledger_total(project.pk, EntryKind.ADVANCE) == Decimal("10800.00")
    started_again = post(official, f"/api/projects/{project.pk}/start/")
    assert started_again.status_code == 409 and started_again.json()["code"] == "already_started"

    reversed_ = post(official, f"/api/ledger/{first.json()['id']}/reverse/", {"reason": "付错账户"})
    assert reversed_.status_code == 201 and reversed_.json()["amount"] == "-10800.00"
    assert reversed_.json()["reverses"] == first.json()["id"]
    twice = post(official, f"/api/ledger/{first.json()['id']}/reverse/", {"reason": "再冲一次"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_reversed"
    assert ledger_total(project.pk, EntryKind.ADVANCE) == Decimal("0.00")


@pytest.mark.parametrize(
    ("amount", "code"),
    [("100.005", "amount_precision"), (100.005, "amount_precision"), ("-5", "amount_negative")],
)
def test_bad_amounts_are_refused_with_their_code_and_nothing_is_written(api_client, fworld, project, amount, code):
    w = fworld
    official = as_user(api_client, w["official_here"])
    commitments, entries = Commitment.objects.count(), LedgerEntry.objects.count()
    response = post(
        official,
        f"/api/projects/{project.pk}/commitments/",
        {"source": "enterprise", "funder": "某物业公司", "amount": amount},
    )
    assert response.status_code == 400 and response.json()["code"] == code and response.json()["field"] == "amount"
    assert (Commitment.objects.count(), LedgerEntry.objects.count()) == (commitments, entries)

    commitment = project.commitments.get(source="residents")
    receipt = post(official, f"/api/commitments/{commitment.pk}/receipts/", {"amount": amount})
    assert receipt.status_code == 400 and receipt.json()["code"] == code
    commitment.refresh_from_db()
    assert commitment.received == Decimal("0.00") and LedgerEntry.objects.count() == entries

    lines = [{"item": "灯具", "amount": amount}]
    created = post(official, "/api/projects/", create_body(w, area=w["C1"].code, budget_lines=lines))
    assert created.status_code == 400 and created.json()["code"] == code
    assert created.json()["field"] == "budget_lines.0.amount"
    assert MicroProject.objects.count() == 1


def test_a_valid_commitment_through_the_api_reaches_the_ledger(api_client, fworld, project):
    official = as_user(api_client, fworld["official_here"])
    response = post(
        official,
        f"/api/projects/{project.pk}/commitments/",
        {"source": "enterprise", "funder": "某物业公司", "amount": "2000.5"},
    )
    assert response.status_code == 201 and response.json()["amount"] == "2000.50"
    assert LedgerEntry.objects.filter(project=project, kind=EntryKind.COMMITMENT, amount=Decimal("2000.50")).exists()
    bad = post(official, f"/api/projects/{project.pk}/commitments/", {"source": "lottery", "amount": "1"})
    assert bad.status_code == 400 and "source" in bad.json()


def test_the_project_picture_takes_the_same_number_of_queries_however_much_happened(api_client, fworld, project):
    w = fworld
    url = f"/api/projects/{project.pk}/"
    implementer = as_user(api_client, w["representative"])
    post(implementer, f"/api/projects/{project.pk}/start/")
    award = post(
        as_user(api_client, w["official_here"]), f"/api/projects/{project.pk}/awards/", {"stage": "provisional"}
    )

    def happen(n):
        official = as_user(api_client, w["official_here"])
        post(
            official,
            f"/api/projects/{project.pk}/commitments/",
            {"source": "enterprise", "funder": f"企业{n}", "amount": "100"},
        )
        implementer = as_user(api_client, w["representative"])
        due_on = (project.planned_start + timedelta(days=n + 1)).isoformat()
        added = post(implementer, f"/api/projects/{project.pk}/milestones/", {"title": f"第 {n} 批", "due_on": due_on})
        assert added.status_code == 201, added.json()
        report = implementer.post(
            f"/api/projects/{project.pk}/reports/",
            {"text": f"第 {n} 周", "spend_to_date": f"{n}000", "photos": [photo(f"{n}.jpg")]},
            format="multipart",
        )
        assert report.status_code == 201, report.json()
        person = UserFactory()
        verify(person, w["c1a"])
        objection = post(as_user(api_client, person), f"/api/awards/{award.json()['id']}/objections/", {"text": "异议"})
        assert objection.status_code == 201

    happen(0)
    api_client.force_authenticate(None)
    with CaptureQueriesContext(connection) as few:
        assert api_client.get(url).status_code == 200
    for n in range(1, 4):
        happen(n)
    api_client.force_authenticate(None)
    with CaptureQueriesContext(connection) as many:
        picture = api_client.get(url).json()
    assert len(picture["reports"]) == 4 and len(picture["awards"][0]["objections"]) == 4
    assert len(picture["timeline"]) > 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 20

    with CaptureQueriesContext(connection) as listed:  # counted once: the versions, the count, keeping it
        assert api_client.get("/api/projects/").status_code == 200
    assert len(listed) <= 4
    with CaptureQueriesContext(connection) as listed:  # then kept: the kept count, the page
        assert api_client.get("/api/projects/").status_code == 200
    assert len(listed) <= 2


def test_an_upheld_objection_with_a_corrected_figure_replaces_the_award(api_client, fworld, project):
    w = fworld
    official = as_user(api_client, w["official_here"])
    award = post(official, f"/api/projects/{project.pk}/awards/", {"stage": "provisional"}).json()
    objection = post(as_user(api_client, w["resident"]), f"/api/awards/{award['id']}/objections/", {"text": "偏高"})
    official = as_user(api_client, w["official_here"])
    bad = post(
        official,
        f"/api/objections/{objection.json()['id']}/answer/",
        {"upheld": True, "answer": "核减", "corrected_base": "100000.001"},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "amount_precision"
    assert AwardObjection.objects.get(pk=objection.json()["id"]).status == "open"
    answered = post(
        official,
        f"/api/objections/{objection.json()['id']}/answer/",
        {"upheld": True, "answer": "核减线路检修费用", "corrected_base": "100000"},
    )
    assert answered.status_code == 200 and answered.json()["status"] == "upheld"
    awards = api_client.get(f"/api/projects/{project.pk}/").json()["awards"]
    assert [(a["status"], a["amount"]) for a in awards] == [("superseded", "36000.00"), ("notice", "30000.00")]
    assert api_client.get(f"/api/awards/{awards[1]['id']}/").json()["base"] == "100000.00"
    recomputed = post(official, f"/api/awards/{awards[1]['id']}/recompute/", {"reason": "政策调整", "cancel": True})
    assert recomputed.status_code == 200 and recomputed.json()["status"] == "cancelled"


def test_a_multipart_inspection_sends_the_checklist_as_json_text_and_rework_needs_defects(api_client, fworld, project):
    import json

    w = fworld
    implementer = as_user(api_client, w["representative"])
    post(implementer, f"/api/projects/{project.pk}/start/")
    post(implementer, f"/api/projects/{project.pk}/complete/", {"report": "完工"})
    official = as_user(api_client, w["official_here"])
    body = {"checklist": json.dumps(CHECKLIST), "result": "rework", "photos": [photo()]}
    missing = official.post(f"/api/projects/{project.pk}/inspections/", body, format="multipart")
    assert missing.status_code == 400 and missing.json()["code"] == "defects_required"
    rework = official.post(
        f"/api/projects/{project.pk}/inspections/",
        {**body, "defects": "2 层灯具未接地", "photos": [photo()]},
        format="multipart",
    )
    assert rework.status_code == 201, rework.json()
    assert rework.json()["result"] == "rework" and len(rework.json()["photos"]) == 1
    picture = api_client.get(f"/api/projects/{project.pk}/").json()
    assert picture["state"] == "in_progress" and picture["rework_count"] == 1
