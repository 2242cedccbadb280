"""Open data: every dataset downloads as documented (CSV with a BOM and the documented header, JSON with the
documented fields), only for the area asked for, never with personal data, drafts or hidden records, in
a bounded number of queries; the demo city's files open cleanly."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from civic.models import ResidencyVerification
from deliberation.models import AgendaItem, BallotBox, BallotOption, Council, Session, SessionRecord
from funding.models import (
    Inspection,
    LedgerEntry,
    MicroProject,
    OutcomeNotice,
    SatisfactionRating,
    SubsidyAward,
    SubsidyPolicy,
)
from proposals.models import Category, OfficialAnswer, Proposal
from scorecard import opendata
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "wang.secret.person@example.org"
SECRET_PHONE = "13912345678"
SECRET_ADDRESS = "秘密路 99 号 3 单元"
DATASETS = list(opendata.DATASETS)
DOC = Path(settings.BASE_DIR) / "docs" / "open-data.md"


# --- a small world with one record of each kind here (district 7701) and one elsewhere (7702) ---------------


def _proposal(area, author, title, **extra):
    category, _ = Category.objects.get_or_create(name="照明品质提升")
    data = {
        "state": "published",
        "published_at": timezone.now() - timedelta(days=3),
        "collection_deadline": timezone.now() + timedelta(days=27),
        "response_due": timezone.localdate() + timedelta(days=20),
        "endorsement_count": 4,
        "threshold": 3,
        "estimated_cost": Decimal("12000.5"),
    }
    data.update(extra)
    return Proposal.objects.create(
        title=title, body="正文", category=category, area=area, area_path=area.path, author=author, **data
    )


def _session(area, chair, *, public=True, title="议事会例会", proposal=None, adopted=True, seq=1):
    council, _ = Council.objects.get_or_create(area=area, defaults={"name": f"{area.name}议事会"})
    session = Session.objects.create(
        council=council, title=title, starts_at=timezone.now() - timedelta(days=1), chair=chair, public=public
    )
    AgendaItem.objects.create(session=session, position=0, title="楼道灯更换", proposal=proposal)
    SessionRecord.objects.create(
        session=session,
        seq=seq,
        kind="event",
        payload={
            "type": "result_announced",
            "motion": 1,
            "kind": "main",
            "adopted": adopted,
            "text": f"同意{title}",
            "item": 0,
            "yes": 7,
            "no": 2,
            "abstain": 1,
            "present": 10,
            "threshold": "majority_cast",
        },
    )
    SessionRecord.objects.create(session=session, seq=seq + 1, kind="event", payload={"type": "vote_opened"})
    return session


def _ballot(area, title, *, state="tallied", options=2):
    box = BallotBox.objects.create(
        area=area,
        area_path=area.path,
        kind="budget",
        title=title,
        state=state,
        budget=Decimal("100000"),
        turnout=12,
        eligible_count=40,
        tallied_at=timezone.now() if state == "tallied" else None,
        closes_at=timezone.now() - timedelta(hours=1),
    )
    result_options = []
    for i in range(options):
        BallotOption.objects.create(
            box=box, title=f"{title}项目{i + 1}", cost=Decimal("40000"), project_id=str(i + 1), position=i
        )
        result_options.append({"project_id": str(i + 1), "votes": 10 - i, "selected": i == 0})
    box.result = {"kind": "budget", "turnout": 12, "options": result_options, "selected": ["1"]}
    box.save(update_fields=["result"])
    return box


def _project(w, area, title, proposal=None):
    today = timezone.localdate()
    return MicroProject.objects.create(
        proposal=proposal,
        area=area,
        area_path=area.path,
        title=title,
        scope="范围",
        implementer=w.organisation,
        budget=Decimal("120000"),
        planned_start=today,
        planned_end=today + timedelta(days=60),
        state="accepted",
        created_by=w["official_here"],
        accepted_at=timezone.now(),
    )


def _award_and_ledger(w, project, policy, charge_area):
    award = SubsidyAward.objects.create(
        project=project,
        stage="provisional",
        policy=policy,
        base=Decimal("120000"),
        amount=Decimal("36000"),
        computed_by=w["official_here"],
        notice_until=timezone.now() + timedelta(days=7),
        objections_until=timezone.now() + timedelta(days=7),
        charge_area=charge_area,
        status="approved",
        approved_at=timezone.now(),
        approved_by=w["official_here"],
        charge_year=timezone.localdate().year,
    )
    entry = LedgerEntry.objects.create(
        project=project,
        area=charge_area,
        year=timezone.localdate().year,
        kind="award",
        amount=Decimal("36000"),
        award=award,
        created_by=w["official_here"],
        memo="核定奖补",
    )
    LedgerEntry.objects.create(
        project=project,
        area=charge_area,
        year=timezone.localdate().year,
        kind="award",
        amount=Decimal("-36000"),
        award=award,
        reverses=entry,
        created_by=w["official_here"],
        memo="更正",
    )
    return award


@pytest.fixture
def odworld(pworld):
    w = pworld
    secret = UserFactory(email=SECRET_EMAIL, display_name="", phone=SECRET_PHONE)
    ResidencyVerification.objects.create(
        user=secret,
        cell=w["c1a"],
        address=SECRET_ADDRESS,
        status="approved",
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=365),
    )
    w.secret = secret
    # proposals: one public by the secret person, a draft, a hidden one, one in the other district
    w.here = _proposal(w["C1"], secret, "一社区楼道灯长期不亮")
    w.draft = _proposal(w["C1"], secret, "草稿不公开", state="draft", published_at=None)
    w.hidden = _proposal(w["C1"], secret, "被隐藏的建议", is_hidden=True)
    w.there = _proposal(w["C2"], w["resident_elsewhere"], "二社区路面破损")
    for proposal in (w.here, w.hidden, w.there):
        OfficialAnswer.objects.create(
            proposal=proposal,
            official=w["official_here"],
            status="accepted",
            reason=f"答复：{proposal.title}",
            working_days_taken=3,
            on_time=True,
        )
    # sessions: a public decision here, a closed-door one here, a public one elsewhere
    _session(w["C1"], w["official_here"], title="一社区例会", proposal=w.here)
    _session(w["C1"], w["official_here"], title="闭门会议", public=False)
    _session(w["C2"], w["official_elsewhere"], title="二社区例会", adopted=False)
    # ballots: counted here, a draft here, counted elsewhere
    w.box = _ballot(w["S1"], "一街道预算")
    _ballot(w["C1"], "未公布的投票", state="draft")
    _ballot(w["S2"], "二街道预算")
    # projects, inspections, ratings, awards, ledger, notices
    policy = SubsidyPolicy.objects.create(area=w["D1"], version=1, share=Decimal("0.3"), created_by=w["official_here"])
    w.project = _project(w, w["C1"], "一社区楼道灯更换", proposal=w.here)
    w.project_there = _project(w, w["C2"], "二社区路面修补")
    Inspection.objects.create(
        project=w.project,
        inspector=w["official_here"],
        score=Decimal("80"),
        verified_cost=Decimal("100000"),
        result="rework",
        defects="返工",
        signed_at=timezone.now() - timedelta(days=5),
    )
    Inspection.objects.create(
        project=w.project,
        inspector=w["official_here"],
        score=Decimal("92.5"),
        verified_cost=Decimal("116500"),
        result="accepted",
    )
    for level, person in zip([5, 4, 2], [secret, w["resident"], w["member"]], strict=True):
        SatisfactionRating.objects.create(project=w.project, user=person, level=level, comment=SECRET_ADDRESS)
    w.award = _award_and_ledger(w, w.project, policy, w["D1"])
    _award_and_ledger(w, w.project_there, policy, w["D2"])
    for area, title in ((w["C1"], "一社区奖补公示"), (w["C2"], "二社区奖补公示")):
        OutcomeNotice.objects.create(
            area=area,
            area_path=area.path,
            kind="award",
            title=title,
            body="公示内容",
            decided_at=timezone.now() - timedelta(days=1),
            published_by=w["official_here"],
        )
    return w


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode("utf-8")


def _csv(client, url):
    response, text = _get(client, url)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return response, rows


def _json(client, url):
    response, text = _get(client, url)
    return response, json.loads(text)


# --- formats --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_csv_starts_with_the_bom_and_the_documented_header(client, odworld, name):
    response, rows = _csv(client, f"/areas/7701/open-data/{name}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="7701-{name}.csv"'
    header, *data = rows
    assert header == opendata.DATASETS[name].field_names
    assert data, "the world has a record of every kind in district 7701"
    assert all(len(row) == len(header) for row in data)


@pytest.mark.parametrize("name", DATASETS)
def test_json_rows_carry_exactly_the_documented_fields(client, odworld, name):
    response, data = _json(client, f"/open-data/{name}.json")
    assert response["Content-Disposition"] == f'attachment; filename="city-{name}.json"'
    assert data["dataset"] == name and data["area"] is None
    assert datetime.fromisoformat(data["generated_at"]).utcoffset() == timedelta(hours=8)
    names = opendata.DATASETS[name].field_names
    assert [f["name"] for f in data["fields"]] == names
    assert data["rows"]
    assert all(list(row) == names for row in data["rows"])


def test_values_are_written_as_documented(client, odworld):
    w = odworld
    proposals = _json(client, "/areas/7701/open-data/proposals.json")[1]["rows"]
    (p,) = proposals
    assert p["id"] == w.here.pk and p["area_code"] == "7701001001" and p["area_name"] == "一社区"
    assert p["estimated_cost"] == "12000.50"
    assert p["endorsement_count"] == 4 and p["threshold"] == 3
    assert datetime.fromisoformat(p["published_at"]).utcoffset() == timedelta(hours=8)
    assert date.fromisoformat(p["response_due"]) == w.here.response_due
    assert p["author"] == f"Resident {w.secret.pk}" or p["author"].endswith(str(w.secret.pk))
    assert p["first_answered_at"] is None
    assert p["url"] == f"http://testserver/proposals/{w.here.pk}/"

    (project,) = _json(client, "/areas/7701/open-data/projects.json")[1]["rows"]
    assert project["verified_cost"] == "116500.00"  # the accepted inspection, not the rework one
    assert project["acceptance_score"] == "92.50"
    assert project["ratings_count"] == 3
    assert project["satisfaction_rate"] == "0.6667"  # levels 5 and 4 of 5, 4, 2
    assert project["average_rating"] == "3.67"
    assert project["implementer"] == w.organisation.name

    (decision,) = _json(client, "/areas/7701/open-data/decisions.json")[1]["rows"]
    assert decision["session_title"] == "一社区例会" and decision["agenda_item"] == "楼道灯更换"
    assert decision["agenda_position"] == 1 and decision["proposal_id"] == w.here.pk
    assert (decision["adopted"], decision["yes"], decision["no"], decision["abstain"]) == (True, 7, 2, 1)
    assert decision["minutes_url"] == ""

    ballots = _json(client, "/areas/7701/open-data/ballots.json")[1]["rows"]
    assert [(b["option_id"], b["votes"], b["selected"]) for b in ballots] == [("1", 10, True), ("2", 9, False)]
    assert ballots[0]["budget"] == "100000.00" and ballots[0]["option_cost"] == "40000.00"
    assert ballots[0]["pb_url"] == f"http://testserver/ballots/{w.box.pk}/export.pb"

    ledger = _json(client, "/areas/7701/open-data/ledger.json")[1]["rows"]
    assert [e["amount"] for e in ledger] == ["36000.00", "-36000.00"]
    assert ledger[1]["reverses_id"] == ledger[0]["id"]

    (award,) = _json(client, "/areas/7701/open-data/awards.json")[1]["rows"]
    assert award["amount"] == "36000.00" and award["status"] == "approved" and award["charge_area_code"] == "7701"

    (notice,) = _json(client, "/areas/7701/open-data/notices.json")[1]["rows"]
    assert notice["title"] == "一社区奖补公示" and notice["on_time"] is True and notice["working_days"] <= 1


def test_a_question_ballot_gives_one_row_per_answer(client, odworld):
    box = BallotBox.objects.create(
        area=odworld["C1"],
        area_path=odworld["C1"].path,
        kind="question",
        title="是否同意加装电梯",
        state="tallied",
        turnout=8,
        eligible_count=10,
        tallied_at=timezone.now(),
        result={
            "kind": "question",
            "votes": {"yes": 5, "no": 2, "abstain": 1},
            "quorum_met": True,
            "selected": ["yes"],
        },
    )
    for position, answer in enumerate(["yes", "no", "abstain"]):
        BallotOption.objects.create(box=box, title=answer, project_id=answer, position=position)
    rows = [r for r in _json(client, "/areas/7701001001/open-data/ballots.json")[1]["rows"] if r["ballot_id"] == box.pk]
    assert [(r["option_id"], r["votes"], r["selected"]) for r in rows] == [
        ("yes", 5, True),
        ("no", 2, False),
        ("abstain", 1, False),
    ]
    assert all(r["quorum_met"] is True and r["budget"] is None and r["pb_url"] == "" for r in rows)


def test_csv_writes_missing_values_empty_booleans_as_words_and_defuses_formulas(client, odworld):
    _proposal(odworld["C1"], odworld["resident"], '=HYPERLINK("http://x")', estimated_cost=None)
    _response, rows = _csv(client, "/areas/7701001001/open-data/proposals.csv")
    header, *data = rows
    by_title = {row[header.index("title")]: dict(zip(header, row, strict=True)) for row in data}
    formula = by_title['\'=HYPERLINK("http://x")']
    assert formula["estimated_cost"] == "" and formula["first_answered_at"] == ""
    _response, rows = _csv(client, "/areas/7701/open-data/answers.csv")
    assert dict(zip(rows[0], rows[1], strict=True))["on_time"] == "true"
    # JSON keeps the text as it is
    titles = [r["title"] for r in _json(client, "/areas/7701001001/open-data/proposals.json")[1]["rows"]]
    assert '=HYPERLINK("http://x")' in titles


# --- scope, privacy, visibility --------------------------------------------------------------------------------

ELSEWHERE = ["二社区", "二街道", '"7702']


@pytest.mark.parametrize("name", DATASETS)
def test_an_area_exports_only_its_own_records(client, odworld, name):
    _response, text = _get(client, f"/areas/7701/open-data/{name}.json")
    for marker in ELSEWHERE:
        assert marker not in text
    _response, city = _get(client, f"/open-data/{name}.json")
    assert any(marker in city for marker in ELSEWHERE)


@pytest.mark.parametrize("name", DATASETS)
def test_no_email_phone_or_residency_data_in_any_export(client, odworld, name):
    for url in (
        f"/open-data/{name}.csv",
        f"/open-data/{name}.json",
        f"/areas/7701001001/open-data/{name}.json",
        f"/api/open-data/{name}/",
        f"/api/areas/7701/open-data/{name}/",
    ):
        _response, text = _get(client, url)
        assert SECRET_EMAIL not in text and SECRET_PHONE not in text and SECRET_ADDRESS not in text, url
        assert "@example.org" not in text, url
        assert "测试路" not in text, url  # the world's residency addresses


def test_drafts_hidden_proposals_and_closed_sessions_are_never_exported(client, odworld):
    everything = "".join(_get(client, f"/open-data/{name}.json")[1] for name in DATASETS)
    for secret in ("草稿不公开", "被隐藏的建议", "闭门会议", "未公布的投票"):
        assert secret not in everything
    answers = _json(client, "/open-data/answers.json")[1]["rows"]
    assert odworld.hidden.pk not in {a["proposal_id"] for a in answers}
    assert len(answers) == 2


def test_the_ledger_dataset_is_the_public_ledger_export(client, odworld):
    assert opendata.ledger_fields_agree()
    _response, ours = _csv(client, "/areas/7701/open-data/ledger.csv")
    _response, theirs = _csv(client, "/areas/7701/ledger.csv")
    assert ours == theirs
    # a correction's negative amount stays a number a spreadsheet can add up (only text is defused)
    amounts = [row[ours[0].index("amount")] for row in ours[1:]]
    assert amounts == ["36000.00", "-36000.00"]


@pytest.mark.parametrize("name", DATASETS)
def test_each_row_has_exactly_the_declared_fields_in_order(odworld, name):
    d = opendata.DATASETS[name]
    assert len(set(d.field_names)) == len(d.field_names)  # each column declared once
    rows = list(d.rows(None, "https://example.org"))
    assert rows, name
    assert all(list(row) == d.field_names for row in rows), name
    page = d.format_rows(d.queryset(None)[:5], "https://example.org")  # the API's pages
    assert page and all(list(row) == d.field_names for row in page), name


# --- documentation ---------------------------------------------------------------------------------------------


def _doc_tables() -> dict[str, list[tuple[str, str]]]:
    tables, current = {}, None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `([a-z_]+)`", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        cell = re.match(r"^\| `([a-z_]+)` \| ([a-z]+) \|", line)
        if cell and current is not None:
            current.append((cell.group(1), cell.group(2)))
    return tables


def test_docs_document_every_dataset_and_field_as_defined():
    tables = _doc_tables()
    assert list(tables) == DATASETS
    for name, d in opendata.DATASETS.items():
        assert tables[name] == [(f.name, f.type) for f in d.fields], name
    # the whole section is the generated one, meanings and examples included
    assert opendata.fields_markdown() in DOC.read_text(encoding="utf-8")
    for kind in opendata.TYPES:
        assert f"`{kind}`" in DOC.read_text(encoding="utf-8")


# --- API and page ---------------------------------------------------------------------------------------------


def test_api_catalogue_lists_every_dataset_with_fields_and_addresses(client, odworld):
    data = client.get("/api/areas/7701/open-data/").json()
    assert data["area"] == "7701"
    assert [d["name"] for d in data["datasets"]] == DATASETS
    proposals = data["datasets"][0]
    assert [f["name"] for f in proposals["fields"]] == opendata.PROPOSALS.field_names
    assert proposals["csv"] == "http://testserver/areas/7701/open-data/proposals.csv"
    assert proposals["api"] == "http://testserver/api/areas/7701/open-data/proposals/"
    assert client.get("/api/open-data/").json()["area"] is None
    assert client.get("/api/areas/nowhere/open-data/").status_code == 404


def test_api_says_in_the_reader_s_language_which_area_or_dataset_does_not_exist(client, odworld):
    for url, code, name in (
        ("/api/areas/nowhere/open-data/", "area_unknown", "nowhere"),
        ("/api/areas/nowhere/open-data/proposals/", "area_unknown", "nowhere"),
        ("/api/areas/7701/open-data/nothing/", "dataset_unknown", "nothing"),
        ("/api/open-data/nothing/", "dataset_unknown", "nothing"),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 404, url
        assert response.json()["code"] == code and name in response.json()["detail"], url
    with translation.override("zh-hans"):
        expected = translation.gettext("No area has the code %(code)s.") % {"code": "nowhere"}
    assert expected != "No area has the code nowhere."  # the catalogue has it in Chinese
    assert client.get("/api/areas/nowhere/open-data/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["detail"] == expected


def test_api_rows_are_paginated_and_formatted_like_the_files(client, odworld):
    for i in range(25):
        _proposal(odworld["C1"], odworld["resident"], f"建议 {i}")
    first = client.get("/api/areas/7701/open-data/proposals/").json()
    assert first["count"] == 26 and len(first["results"]) == 20 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 6
    files = _json(client, "/areas/7701/open-data/proposals.json")[1]["rows"]
    assert first["results"] + second["results"] == files
    assert client.get("/api/areas/7701/open-data/nothing/").status_code == 404
    assert client.get("/areas/7701/open-data/nothing.csv").status_code == 404
    assert client.get("/areas/nowhere/open-data/proposals.csv").status_code == 404


def test_page_lists_the_datasets_with_downloads_and_field_docs(client, odworld):
    response = client.get("/areas/7701/open-data/")
    page = response.content.decode()
    assert response.status_code == 200
    for name, d in opendata.DATASETS.items():
        assert f'href="/areas/7701/open-data/{name}.csv"' in page
        assert f'href="/areas/7701/open-data/{name}.json"' in page
        assert all(f"<code>{f.name}</code>" in page for f in d.fields)
    assert f'href="/ballots/{odworld.box.pk}/export.pb"' in page
    assert 'href="/areas/7701001/open-data/"' in page  # the areas under it
    city = client.get("/open-data/")
    assert city.status_code == 200 and 'href="/open-data/projects.csv"' in city.content.decode()


# --- query bounds ------------------------------------------------------------------------------------------------


def _many(w, n=30):
    author = w["resident"]
    proposals = [_proposal(w["C1"], author, f"批量建议 {i}") for i in range(n)]
    OfficialAnswer.objects.bulk_create(
        OfficialAnswer(
            proposal=p,
            official=w["official_here"],
            status="planned",
            reason="已计划",
            working_days_taken=1,
            on_time=True,
        )
        for p in proposals
    )
    for i in range(n // 3):
        _session(w["C1"], w["official_here"], title=f"批量会议 {i}", proposal=proposals[i])
        _ballot(w["S1"], f"批量投票 {i}", options=3)
    policy = SubsidyPolicy.objects.get(area=w["D1"])
    for i in range(n // 3):
        project = _project(w, w["C1"], f"批量项目 {i}")
        SatisfactionRating.objects.create(project=project, user=author, level=4)
        Inspection.objects.create(
            project=project, inspector=w["official_here"], score=90, verified_cost=1000, result="accepted"
        )
        _award_and_ledger(w, project, policy, w["D1"])
        OutcomeNotice.objects.create(
            area=w["C1"],
            area_path=w["C1"].path,
            kind="other",
            title=f"批量公告 {i}",
            body="内容",
            decided_at=timezone.now(),
            published_by=w["official_here"],
        )


@pytest.mark.parametrize("name", DATASETS)
def test_each_export_reads_a_bounded_number_of_queries(client, odworld, name, django_assert_max_num_queries):
    _many(odworld)
    with django_assert_max_num_queries(4):
        _response, data = _json(client, f"/areas/7701/open-data/{name}.json")
    assert len(data["rows"]) >= 10
    with django_assert_max_num_queries(4):
        _csv(client, f"/open-data/{name}.csv")
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/areas/7701/open-data/{name}/").status_code == 200


# --- the demo city ----------------------------------------------------------------------------------------------


def test_the_demo_city_exports_open_cleanly(client):
    from civic.demo import data as demo

    call_command("seed_demo", quiet_logins=True)
    counts = {}
    for name, d in opendata.DATASETS.items():
        for prefix in ("/open-data/", "/areas/990102/open-data/"):
            _response, rows = _csv(client, f"{prefix}{name}.csv")
            assert rows[0] == d.field_names
            assert all(len(row) == len(d.field_names) for row in rows[1:])
            _response, data = _json(client, f"{prefix}{name}.json")
            assert len(data["rows"]) == len(rows) - 1
            assert all(list(row) == d.field_names for row in data["rows"])
            counts[prefix + name] = len(data["rows"])
            _response, text = _get(client, f"{prefix}{name}.json")
            assert f"@{demo.DOMAIN}" not in text
    for name in ("proposals", "answers", "projects", "awards", "ledger"):
        assert counts[f"/open-data/{name}"] > 0, name
    assert client.get("/open-data/").status_code == 200
