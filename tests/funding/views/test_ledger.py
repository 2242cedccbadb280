"""Reading the ledger: balances, running totals, the public page, the exports and the API."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from civic.models import Area
from funding import selectors
from funding.models import LedgerEntry
from tests.funding.selectors.test_ledger_check import YEAR, build_ledger, make_project

pytestmark = pytest.mark.django_db

D = Decimal
HEADER = [
    "id",
    "recorded_at",
    "project_id",
    "project_title",
    "area_code",
    "year",
    "kind",
    "amount",
    "condition",
    "reverses_id",
    "memo",
    "prev_hash",
    "entry_hash",
]


@pytest.fixture
def books(world):
    return build_ledger(world)


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def more_projects(books, n, area="C1"):
    """n more projects with a few entries each (an award, an advance, a corrected advance)."""
    for i in range(n):
        p = make_project(books.world, f"加项{i}", area=area)
        award = books.award(p, "provisional", "300")
        books.entry(p, "award", "300", award=award)
        wrong = books.entry(p, "advance", "100", condition="start")
        books.entry(p, "advance", "-100", condition="start", reverses=wrong)
        books.entry(p, "advance", "90", condition="start", memo="=1+1")


# --- balances ---------------------------------------------------------------------------------------------


def test_project_balances_add_up_each_kind_corrections_included(books):
    a = selectors.project_balances(books.a)
    assert a == {
        "committed": D("30000.00"),
        "received": D("25000.00"),
        "received_by_source": {"residents": D("15000.00"), "enterprise": D("10000.00")},
        "award": D("45000.00"),
        "advances": D("30000.00"),  # 18,000 + 12,000; the mistaken 5,000 was reversed
        "settlement": D("15000.00"),
        "paid": D("45000.00"),
        "recovery_due": D("0.00"),
        "recovered": D("0.00"),
        "owed_back": D("0.00"),
        "net_paid": D("45000.00"),
    }
    b = selectors.project_balances(books.b.pk)
    assert (b["award"], b["paid"], b["recovery_due"], b["recovered"], b["owed_back"], b["net_paid"]) == (
        D("18000.00"),
        D("24000.00"),
        D("6000.00"),
        D("4000.00"),
        D("2000.00"),
        D("20000.00"),
    )


def test_balances_of_many_projects_take_one_query(books, django_assert_num_queries):
    empty = make_project(books.world, "新项目")
    with django_assert_num_queries(1):
        money = selectors.project_money_many([books.a, books.b, books.c, empty])
    assert money[books.c.pk]["committed"] == D("5000.00") and money[books.c.pk]["received"] == D("0.00")
    assert money[empty.pk]["paid"] == D("0.00")
    assert money[books.a.pk] == selectors.project_balances(books.a)
    more_projects(books, 12)
    projects = list(books.a.__class__.objects.all())
    with django_assert_num_queries(1):
        assert len(selectors.project_money_many(projects)) == 16
    with django_assert_num_queries(0):
        assert selectors.project_money_many([]) == {}


def test_area_year_balances_compare_the_awards_charged_with_the_cap(books):
    d1 = selectors.area_year_balances(books.world["D1"], YEAR)
    assert (d1["award"], d1["paid"], d1["cap"], d1["left"], d1["policy_version"]) == (
        D("63000.00"),  # 45,000 + 18,000 after the settlements
        D("69000.00"),  # 45,000 paid on A, 24,000 advanced on B
        D("250000.00"),
        D("187000.00"),
        1,
    )
    other_year = selectors.area_year_balances(books.world["D1"], YEAR + 1)
    assert (other_year["award"], other_year["cap"], other_year["left"]) == (D("0.00"), D("250000.00"), D("250000.00"))
    nothing = selectors.area_year_balances(books.world["D2"], YEAR)
    assert (nothing["award"], nothing["cap"], nothing["left"]) == (D("0.00"), None, None)


def test_an_area_lists_the_caps_its_projects_draw_on(books):
    rows = selectors.area_charges(books.world["C1"])
    assert [(r["area"].code, r["year"], r["award"]) for r in rows] == [("7701", YEAR, D("63000.00"))]
    assert selectors.area_charges(books.world["C1"], YEAR + 1) == []  # no policy of its own, nothing charged
    asked = selectors.area_charges(books.world["D1"], YEAR + 1)  # a policy area shows its cap even unused
    assert [(r["area"].code, r["year"], r["award"], r["left"]) for r in asked] == [
        ("7701", YEAR + 1, D("0.00"), D("250000.00"))
    ]
    assert selectors.area_charges(books.world["C2"]) == []


# --- entries with running totals --------------------------------------------------------------------------


def test_entries_carry_the_projects_running_total_of_their_kind(books):
    e = books.entries
    advances = [(x.pk, x.balance) for x in selectors.ledger_entries(project=books.a) if x.kind == "advance"]
    assert advances == [
        (e["a_start"].pk, D("18000")),
        (e["a_mistake"].pk, D("23000")),
        (e["a_mistake_reversed"].pk, D("18000")),
        (e["a_midpoint"].pk, D("30000")),
    ]
    awards = {x.pk: x.balance for x in selectors.ledger_entries(area=books.world["S1"]) if x.kind == "award"}
    assert awards == {
        e["a_award"].pk: D("60000"),
        e["a_settle_award"].pk: D("45000"),
        e["b_award"].pk: D("30000"),
        e["b_settle_award"].pk: D("18000"),
    }


def test_a_year_filter_keeps_the_running_totals_of_earlier_years(books):
    later = books.entry(books.a, "advance", "1000", condition="completion", year=YEAR + 1)
    rows = list(selectors.ledger_entries(area=books.world["D1"], year=YEAR + 1))
    assert [(x.pk, x.balance) for x in rows] == [(later.pk, D("31000"))]
    assert len(selectors.ledger_entries(area=books.world["D1"], year=YEAR)) == 19


def test_an_area_ledger_holds_the_projects_under_it_only(books):
    elsewhere = make_project(books.world, "二社区项目", area="C2")
    books.entry(elsewhere, "commitment", "100", area=books.world["C2"])
    in_c1a = {x.project_id for x in selectors.ledger_entries(area=books.world["c1a"])}
    assert in_c1a == {books.b.pk}
    assert {x.project_id for x in selectors.ledger_entries(area=books.world["city"])} == {
        books.a.pk,
        books.b.pk,
        books.c.pk,
        elsewhere.pk,
    }
    assert {x.project_id for x in selectors.ledger_entries(area=books.world["D2"])} == {elsewhere.pk}


# --- exports ----------------------------------------------------------------------------------------------


def test_the_csv_export_starts_with_a_bom_and_a_header_and_has_a_row_per_entry(client, books):
    response = client.get(f"/projects/{books.a.pk}/ledger.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="ledger-project-{books.a.pk}.csv"' in response["Content-Disposition"]
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == HEADER
    assert len(rows) - 1 == LedgerEntry.objects.filter(project=books.a).count() == 11
    by_id = {int(r[0]): dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    reversal = by_id[books.entries["a_mistake_reversed"].pk]
    assert reversal["amount"] == "-5000.00"
    assert reversal["reverses_id"] == str(books.entries["a_mistake"].pk)
    assert reversal["project_title"] == "一社区楼道灯改造" and reversal["area_code"] == "7701"
    assert (reversal["kind"], reversal["condition"], reversal["year"]) == ("advance", "midpoint", str(YEAR))
    assert "T" in reversal["recorded_at"] and reversal["recorded_at"].endswith("+08:00")
    assert by_id[books.entries["a_mistake"].pk]["memo"] == "重复录入"


def test_exports_carry_no_personal_data(client, books):
    clerk = books.clerk
    text = body(client.get("/areas/7701/ledger.csv")) + body(client.get("/areas/7701/ledger.json"))
    assert clerk.email not in text and clerk.public_name not in text
    assert "created_by" not in text


def test_a_formula_typed_in_a_memo_stays_text_in_the_spreadsheet(client, books):
    more_projects(books, 1)
    text = body(client.get("/areas/7701001001/ledger.csv"))
    assert ",'=1+1" in text
    data = json.loads(body(client.get("/areas/7701001001/ledger.json")))
    assert "=1+1" in {row["memo"] for row in data}  # JSON keeps what was typed


def test_the_json_export_is_a_list_of_entries_with_amounts_as_strings(client, books):
    response = client.get(f"/projects/{books.b.pk}/ledger.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(body(response))
    assert [row["id"] for row in data] == list(
        LedgerEntry.objects.filter(project=books.b).order_by("created_at", "id").values_list("id", flat=True)
    )
    assert set(data[0]) == set(HEADER)
    due = next(row for row in data if row["kind"] == "recovery_due")
    assert due["amount"] == "6000.00" and isinstance(due["amount"], str)
    assert (due["project_id"], due["project_title"], due["area_code"], due["year"]) == (
        books.b.pk,
        "一网格健身角",
        "7701",
        YEAR,
    )
    assert due["reverses_id"] is None


def test_an_area_export_covers_the_areas_under_it_and_filters_by_year(client, books):
    elsewhere = make_project(books.world, "二社区项目", area="C2")
    books.entry(elsewhere, "commitment", "100", area=books.world["C2"])
    later = books.entry(books.c, "commitment", "50", area=books.world["C1"], year=YEAR + 1)
    everything = json.loads(body(client.get("/areas/7701/ledger.json")))
    assert len(everything) == 20 and elsewhere.pk not in {row["project_id"] for row in everything}
    response = client.get(f"/areas/7701001/ledger.csv?year={YEAR + 1}")
    assert f'filename="ledger-7701001-{YEAR + 1}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response)[1:])))
    assert [int(r[0]) for r in rows[1:]] == [later.pk]
    assert len(json.loads(body(client.get("/areas/77/ledger.json")))) == 21


def test_a_bad_year_or_an_unknown_place_is_refused_cleanly(client, books):
    assert client.get("/areas/7701/ledger.csv?year=abc").status_code == 400
    assert client.get("/areas/7701/ledger/?year=12").status_code == 400
    assert client.get("/areas/nowhere/ledger.json").status_code == 404
    assert client.get("/projects/999999/ledger.csv").status_code == 404


def test_an_export_streams_in_a_fixed_number_of_queries(client, books, django_assert_max_num_queries):
    more_projects(books, 10)
    with django_assert_max_num_queries(4):
        data = json.loads(body(client.get("/areas/7701/ledger.json")))
    assert len(data) == 19 + 40


# --- the public page --------------------------------------------------------------------------------------


def test_the_area_ledger_page_shows_the_caps_the_entries_and_the_exports(client, books):
    response = client.get("/areas/7701001001/ledger/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "¥63,000.00" in html and "¥250,000.00" in html and "¥187,000.00" in html  # charged, cap, left
    assert "一社区楼道灯改造" in html and "一网格健身角" in html
    assert f'href="/projects/{books.a.pk}/"' in html
    assert "/areas/7701001001/ledger.csv" in html and "/areas/7701001001/ledger.json" in html
    assert "<caption" in html and 'scope="col"' in html
    assert "¥30,000.00" in html  # A's running total of advances after the midpoint advance


def _next_url(html: str) -> str | None:
    match = re.search(r'href="(\?[^"]*after=\d+)" rel="next"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_the_area_ledger_page_is_paged_by_keyset_in_a_fixed_number_of_queries(
    client, books, django_assert_max_num_queries
):
    more_projects(books, 12)
    with django_assert_max_num_queries(14) as first:
        page_one = client.get("/areas/7701/ledger/")
    more_projects(books, 8)
    html = page_one.content.decode()
    assert "page=" not in html and "Page 1 of" not in html  # nothing is counted
    url = _next_url(html)
    assert url is not None
    with django_assert_max_num_queries(len(first.captured_queries)):
        page_two = client.get(f"/areas/7701/ledger/{url}")
    assert page_one.status_code == page_two.status_code == 200
    filtered = client.get(f"/areas/7701/ledger/?year={YEAR}").content.decode()
    assert f"year={YEAR}&amp;after=" in filtered
    assert client.get("/areas/7701/ledger/?after=99999999").status_code == 200  # past the end: an empty page


def test_every_page_of_the_ledger_shows_the_running_totals_of_the_whole_ledger(client, books):
    """Walking the keyset pages gives every entry once, in order, with the same running totals as the
    window over all of the area's entries (earlier pages' entries and corrections included)."""
    more_projects(books, 15)
    expected = [(e.pk, e.balance) for e in selectors.ledger_entries(area=Area.objects.get(code="7701"))]
    seen, url = [], "/areas/7701/ledger/"
    while url:
        html = client.get(url).content.decode()
        entries = html.split('id="entries-title"')[1]
        for row in entries.split("<tr>")[2:]:  # after the header row
            cells = re.findall(r"<td>(.*?)</td>", row, re.S)
            seen.append((int(cells[0]), cells[5]))
        following = _next_url(html)
        url = f"/areas/7701/ledger/{following}" if following else None
    assert [pk for pk, _balance in seen] == [pk for pk, _balance in expected]
    assert len(expected) > 50  # more than one page
    from civic.money import format_yuan

    assert [balance for _pk, balance in seen] == [format_yuan(balance) for _pk, balance in expected]


# --- API --------------------------------------------------------------------------------------------------


def test_the_project_ledger_api_gives_balances_and_entries(api_client, books):
    response = api_client.get(f"/api/projects/{books.b.pk}/ledger/")
    assert response.status_code == 200
    data = response.json()
    assert data["project"] == books.b.pk and data["title"] == "一网格健身角"
    assert data["balances"]["award"] == "18000.00" and data["balances"]["owed_back"] == "2000.00"
    assert [row["kind"] for row in data["entries"]] == [
        "award",
        "advance",
        "advance",
        "advance",
        "award",
        "recovery_due",
        "recovery",
    ]
    completion = data["entries"][3]
    assert (completion["amount"], completion["balance"], completion["condition"]) == (
        "9000.00",
        "24000.00",
        "completion",
    )
    assert completion["area"] == "7701" and completion["year"] == YEAR


def test_the_area_ledger_api_pages_the_entries_and_filters_by_year(api_client, books, django_assert_max_num_queries):
    more_projects(books, 10)
    with django_assert_max_num_queries(5):  # the area, the versions, the count, keeping it, the page
        data = api_client.get("/api/areas/7701/ledger/").json()
    assert data["count"] == 59 and len(data["results"]) == 20
    with django_assert_max_num_queries(3):  # the area, the kept count, the page: no count
        assert api_client.get("/api/areas/7701/ledger/").json() == data
    first = data["results"][0]
    assert set(first) >= {"id", "recorded_at", "project", "project_title", "area", "year", "kind", "amount", "balance"}
    assert api_client.get(f"/api/areas/7701/ledger/?year={YEAR + 1}").json()["count"] == 0
    bad = api_client.get("/api/areas/7701/ledger/?year=x")
    assert bad.status_code == 400 and bad.json()["code"] == "year_invalid"


def test_the_area_balances_api(api_client, books, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = api_client.get(f"/api/areas/7701001001/ledger/balances/?year={YEAR}").json()
    assert data["area"] == "7701001001" and data["year"] == YEAR
    by_area = {row["area"]: row for row in data["charges"]}
    assert by_area["7701"] == {
        "area": "7701",
        "area_name": "一区",
        "year": YEAR,
        "award": "63000.00",
        "paid": "69000.00",
        "recovered": "4000.00",
        "cap": "250000.00",
        "left": "187000.00",
        "policy_version": 1,
    }
    assert set(by_area) == {"7701"}  # the community has no policy of its own and nothing is charged to it
    assert api_client.get("/api/areas/nowhere/ledger/balances/").status_code == 404


def test_exports_and_the_area_page_publish_the_chain_head(client, books):
    head = LedgerEntry.objects.latest("id")
    for url in ("/areas/7701/ledger.csv", f"/projects/{books.b.pk}/ledger.json"):
        response = client.get(url)
        assert response["X-Ledger-Head"] == head.entry_hash and response["X-Ledger-Head-Entry"] == str(head.pk)
    rows = json.loads(body(client.get("/areas/77/ledger.json")))
    assert rows[-1]["entry_hash"] == head.entry_hash  # the whole ledger: its last row is the head
    assert [b["prev_hash"] for b in rows[1:]] == [a["entry_hash"] for a in rows[:-1]]
    html = client.get("/areas/7701001001/ledger/").content.decode()
    assert head.entry_hash in html and head.entry_hash[:12] in html


def test_a_deep_page_of_the_area_ledger_api_shows_each_entry_s_running_total(api_client, books, monkeypatch):
    """A deep page is read by id; each row's balance still sums its project's earlier entries of its kind."""
    more_projects(books, 10)
    expected = {e.pk: f"{e.balance:.2f}" for e in selectors.ledger_entries(area=Area.objects.get(code="7701"))}
    monkeypatch.setattr("civic.pagination.DEEP_FROM", 0)  # every page past the first by id
    rows = api_client.get("/api/areas/7701/ledger/?page=2").json()["results"]
    assert len(rows) == 20
    assert [(row["id"], row["balance"]) for row in rows] == [(row["id"], expected[row["id"]]) for row in rows]


def test_the_area_ledger_api_counts_an_entry_booked_right_after(api_client, books):
    assert api_client.get("/api/areas/7701/ledger/").json()["count"] == 19
    assert api_client.get("/api/areas/7701001/ledger/").json()["count"] == 19
    more_projects(books, 1)
    assert api_client.get("/api/areas/7701/ledger/").json()["count"] == 19 + 4
    assert (
        api_client.get("/api/areas/7701001/ledger/").json()["count"]
        == LedgerEntry.objects.filter(project__area_path__startswith=Area.objects.get(code="7701001").path).count()
    )
