"""Open data: every dataset downloads as documented (CSV with a BOM and the documented header, JSON with the
documented fields), only for the area asked for, never with personal data, drafts or hidden records, in
a bounded number of queries; the demo city's files open cleanly."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from deliberation.models import BallotBox, BallotOption
from scorecard import opendata
from tests.scorecard.opendata.world import (
    DATASETS,
    SECRET_ADDRESS,
    SECRET_EMAIL,
    SECRET_PHONE,
    add_many,
    add_proposal,
    download,
    download_csv,
    download_json,
)

pytestmark = pytest.mark.django_db


# --- formats --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_csv_starts_with_the_bom_and_the_documented_header(client, odworld, name):
    response, rows = download_csv(client, f"/areas/7701/open-data/{name}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="7701-{name}.csv"'
    header, *data = rows
    assert header == opendata.DATASETS[name].field_names
    assert data, "the world has a record of every kind in district 7701"
    assert all(len(row) == len(header) for row in data)


@pytest.mark.parametrize("name", DATASETS)
def test_json_rows_carry_exactly_the_documented_fields(client, odworld, name):
    response, data = download_json(client, f"/open-data/{name}.json")
    assert response["Content-Disposition"] == f'attachment; filename="city-{name}.json"'
    assert data["dataset"] == name and data["area"] is None
    assert datetime.fromisoformat(data["generated_at"]).utcoffset() == timedelta(hours=8)
    names = opendata.DATASETS[name].field_names
    assert [f["name"] for f in data["fields"]] == names
    assert data["rows"]
    assert all(list(row) == names for row in data["rows"])


def test_values_are_written_as_documented(client, odworld):
    w = odworld
    proposals = download_json(client, "/areas/7701/open-data/proposals.json")[1]["rows"]
    (p,) = proposals
    assert p["id"] == w.here.pk and p["area_code"] == "7701001001" and p["area_name"] == "一社区"
    assert p["estimated_cost"] == "12000.50"
    assert p["endorsement_count"] == 4 and p["threshold"] == 3
    assert datetime.fromisoformat(p["published_at"]).utcoffset() == timedelta(hours=8)
    assert date.fromisoformat(p["response_due"]) == w.here.response_due
    assert p["author"] == f"Resident {w.secret.pk}" or p["author"].endswith(str(w.secret.pk))
    assert p["first_answered_at"] is None
    assert p["url"] == f"http://testserver/proposals/{w.here.pk}/"

    (project,) = download_json(client, "/areas/7701/open-data/projects.json")[1]["rows"]
    assert project["verified_cost"] == "116500.00"  # the accepted inspection, not the rework one
    assert project["acceptance_score"] == "92.50"
    assert project["ratings_count"] == 3
    assert project["satisfaction_rate"] == "0.6667"  # levels 5 and 4 of 5, 4, 2
    assert project["average_rating"] == "3.67"
    assert project["implementer"] == w.organisation.name

    (decision,) = download_json(client, "/areas/7701/open-data/decisions.json")[1]["rows"]
    assert decision["session_title"] == "一社区例会" and decision["agenda_item"] == "楼道灯更换"
    assert decision["agenda_position"] == 1 and decision["proposal_id"] == w.here.pk
    assert (decision["adopted"], decision["yes"], decision["no"], decision["abstain"]) == (True, 7, 2, 1)
    assert decision["minutes_url"] == ""

    ballots = download_json(client, "/areas/7701/open-data/ballots.json")[1]["rows"]
    assert [(b["option_id"], b["votes"], b["selected"]) for b in ballots] == [("1", 10, True), ("2", 9, False)]
    assert ballots[0]["budget"] == "100000.00" and ballots[0]["option_cost"] == "40000.00"
    assert ballots[0]["pb_url"] == f"http://testserver/ballots/{w.box.pk}/export.pb"

    ledger = download_json(client, "/areas/7701/open-data/ledger.json")[1]["rows"]
    assert [e["amount"] for e in ledger] == ["36000.00", "-36000.00"]
    assert ledger[1]["reverses_id"] == ledger[0]["id"]

    (award,) = download_json(client, "/areas/7701/open-data/awards.json")[1]["rows"]
    assert award["amount"] == "36000.00" and award["status"] == "approved" and award["charge_area_code"] == "7701"

    (notice,) = download_json(client, "/areas/7701/open-data/notices.json")[1]["rows"]
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
    rows = [
        r
        for r in download_json(client, "/areas/7701001001/open-data/ballots.json")[1]["rows"]
        if r["ballot_id"] == box.pk
    ]
    assert [(r["option_id"], r["votes"], r["selected"]) for r in rows] == [
        ("yes", 5, True),
        ("no", 2, False),
        ("abstain", 1, False),
    ]
    assert all(r["quorum_met"] is True and r["budget"] is None and r["pb_url"] == "" for r in rows)


def test_csv_writes_missing_values_empty_booleans_as_words_and_defuses_formulas(client, odworld):
    add_proposal(odworld["C1"], odworld["resident"], '=HYPERLINK("http://x")', estimated_cost=None)
    _response, rows = download_csv(client, "/areas/7701001001/open-data/proposals.csv")
    header, *data = rows
    by_title = {row[header.index("title")]: dict(zip(header, row, strict=True)) for row in data}
    formula = by_title['\'=HYPERLINK("http://x")']
    assert formula["estimated_cost"] == "" and formula["first_answered_at"] == ""
    _response, rows = download_csv(client, "/areas/7701/open-data/answers.csv")
    assert dict(zip(rows[0], rows[1], strict=True))["on_time"] == "true"
    # JSON keeps the text as it is
    titles = [r["title"] for r in download_json(client, "/areas/7701001001/open-data/proposals.json")[1]["rows"]]
    assert '=HYPERLINK("http://x")' in titles


# --- scope, privacy, visibility --------------------------------------------------------------------------------

ELSEWHERE = ["二社区", "二街道", '"7702']


@pytest.mark.parametrize("name", DATASETS)
def test_an_area_exports_only_its_own_records(client, odworld, name):
    _response, text = download(client, f"/areas/7701/open-data/{name}.json")
    for marker in ELSEWHERE:
        assert marker not in text
    _response, city = download(client, f"/open-data/{name}.json")
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
        _response, text = download(client, url)
        assert SECRET_EMAIL not in text and SECRET_PHONE not in text and SECRET_ADDRESS not in text, url
        assert "@example.org" not in text, url
        assert "测试路" not in text, url  # the world's residency addresses


def test_drafts_hidden_proposals_and_closed_sessions_are_never_exported(client, odworld):
    everything = "".join(download(client, f"/open-data/{name}.json")[1] for name in DATASETS)
    for secret in ("草稿不公开", "被隐藏的建议", "闭门会议", "未公布的投票", "被隐藏的诉求", "秘密来电人"):
        assert secret not in everything
    answers = download_json(client, "/open-data/answers.json")[1]["rows"]
    assert odworld.hidden.pk not in {a["proposal_id"] for a in answers}
    assert len(answers) == 2


def test_the_ledger_dataset_is_the_public_ledger_export(client, odworld):
    assert opendata.ledger_fields_agree()
    _response, ours = download_csv(client, "/areas/7701/open-data/ledger.csv")
    _response, theirs = download_csv(client, "/areas/7701/ledger.csv")
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


# --- query bounds ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASETS)
def test_each_export_reads_a_bounded_number_of_queries(client, odworld, name, django_assert_max_num_queries):
    add_many(odworld)
    with django_assert_max_num_queries(4):
        _response, data = download_json(client, f"/areas/7701/open-data/{name}.json")
    assert len(data["rows"]) >= 10
    with django_assert_max_num_queries(4):
        download_csv(client, f"/open-data/{name}.csv")
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/areas/7701/open-data/{name}/").status_code == 200


# --- the demo city ----------------------------------------------------------------------------------------------


def test_the_demo_city_exports_open_cleanly(client):
    from civic.demo import data as demo

    call_command("seed_demo", quiet_logins=True)
    counts = {}
    for name, d in opendata.DATASETS.items():
        for prefix in ("/open-data/", "/areas/990102/open-data/"):
            _response, rows = download_csv(client, f"{prefix}{name}.csv")
            assert rows[0] == d.field_names
            assert all(len(row) == len(d.field_names) for row in rows[1:])
            _response, data = download_json(client, f"{prefix}{name}.json")
            assert len(data["rows"]) == len(rows) - 1
            assert all(list(row) == d.field_names for row in data["rows"])
            counts[prefix + name] = len(data["rows"])
            _response, text = download(client, f"{prefix}{name}.json")
            assert f"@{demo.DOMAIN}" not in text
    for name in ("proposals", "answers", "projects", "awards", "ledger"):
        assert counts[f"/open-data/{name}"] > 0, name
    assert client.get("/open-data/").status_code == 200
