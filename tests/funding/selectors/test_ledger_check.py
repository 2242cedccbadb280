"""The ledger reconciliation: a consistent ledger passes, each broken rule is reported with its rows."""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.utils import timezone

from civic.appendonly import trigger_names
from funding import chain
from funding.chain import GENESIS
from funding.ledger_check import check_ledger, run_checks
from funding.models import Commitment, LedgerEntry, MicroProject, SubsidyAward, SubsidyPolicy

pytestmark = pytest.mark.django_db

D = Decimal
YEAR = 2025


# --- a hand-made ledger -----------------------------------------------------------------------------------


@dataclass
class Books:
    """The world, a district policy and three projects whose ledger adds up (see `build_ledger`)."""

    world: object
    policy: SubsidyPolicy
    a: MicroProject
    b: MicroProject
    c: MicroProject
    awards: dict = field(default_factory=dict)
    commitments: dict = field(default_factory=dict)
    entries: dict = field(default_factory=dict)

    @property
    def clerk(self):
        return self.world["official_here"]

    def entry(self, project, kind, amount, *, area=None, year=YEAR, **kwargs):
        return LedgerEntry.objects.create(
            project=project,
            area=area or self.world["D1"],
            year=year,
            kind=kind,
            amount=D(amount),
            created_by=self.clerk,
            **kwargs,
        )

    def award(self, project, stage, amount, *, status="approved", policy=None, charge_year=YEAR):
        now = timezone.now()
        return SubsidyAward.objects.create(
            project=project,
            stage=stage,
            policy=policy or self.policy,
            base=D(amount) * 10,
            amount=D(amount),
            status=status,
            computed_by=self.clerk,
            notice_until=now,
            objections_until=now,
            approved_by=self.clerk if status == "approved" else None,
            approved_at=now if status == "approved" else None,
            charge_area=(policy or self.policy).area,
            charge_year=charge_year if status == "approved" else None,
        )

    def project(self, title, area="C1", budget="100000"):
        return make_project(self.world, title, area=area, budget=budget)


def make_project(world, title, area="C1", budget="100000"):
    return MicroProject.objects.create(
        area=world[area],
        area_path=world[area].path,
        title=title,
        scope="更换楼道灯",
        implementer=world.organisation,
        budget=D(budget),
        planned_start="2025-03-01",
        planned_end="2025-09-30",
        created_by=world["official_here"],
    )


def build_ledger(world) -> Books:
    """Project A: 60,000 provisional, advances 18,000 + 12,000 (and a mistaken 5,000 reversed), settled at
    45,000 (award entry −15,000, 15,000 paid); two commitments, 25,000 received. Project B: 30,000
    provisional, 24,000 advanced, settled at 18,000, 6,000 due back of which 4,000 recovered. Project C:
    a commitment only. Everything charged to district D1 in 2025 (cap 250,000 per year, 100,000 per project).
    """
    policy = SubsidyPolicy.objects.create(
        area=world["D1"],
        version=1,
        share=D("0.3"),
        cap_per_project=D("100000"),
        cap_per_area_year=D("250000"),
        advance_start=D("0.3"),
        advance_midpoint=D("0.5"),
        advance_completion=D("0.8"),
        created_by=world["official_here"],
    )
    books = Books(
        world,
        policy,
        make_project(world, "一社区楼道灯改造", budget="200000"),
        make_project(world, "一网格健身角", area="c1a"),
        make_project(world, "一社区花园"),
    )
    a, b, c, e = books.a, books.b, books.c, books.entries
    residents = Commitment.objects.create(
        project=a, source="residents", funder="3 栋居民", amount=D("20000"), received=D("15000"), created_by=books.clerk
    )
    enterprise = Commitment.objects.create(
        project=a,
        source="enterprise",
        funder="某物业公司",
        amount=D("10000"),
        received=D("10000"),
        created_by=books.clerk,
    )
    garden = Commitment.objects.create(
        project=c, source="social", funder="一社区服务中心", amount=D("5000"), created_by=books.clerk
    )
    books.commitments = {"residents": residents, "enterprise": enterprise, "garden": garden}
    for key, commitment in books.commitments.items():
        e[f"commit_{key}"] = books.entry(
            commitment.project, "commitment", commitment.amount, area=commitment.project.area, commitment=commitment
        )
    e["receipt_residents"] = books.entry(a, "receipt", "15000", area=world["C1"], commitment=residents)
    e["receipt_enterprise"] = books.entry(a, "receipt", "10000", area=world["C1"], commitment=enterprise)

    books.awards["a_provisional"] = books.award(a, "provisional", "60000")
    e["a_award"] = books.entry(a, "award", "60000", award=books.awards["a_provisional"])
    e["a_start"] = books.entry(a, "advance", "18000", condition="start")
    e["a_mistake"] = books.entry(a, "advance", "5000", condition="midpoint", memo="重复录入")
    e["a_mistake_reversed"] = books.entry(a, "advance", "-5000", condition="midpoint", reverses=e["a_mistake"])
    e["a_midpoint"] = books.entry(a, "advance", "12000", condition="midpoint")
    books.awards["a_settlement"] = books.award(a, "settlement", "45000")
    e["a_settle_award"] = books.entry(a, "award", "-15000", award=books.awards["a_settlement"])
    e["a_settlement"] = books.entry(a, "settlement", "15000")

    books.awards["b_provisional"] = books.award(b, "provisional", "30000")
    e["b_award"] = books.entry(b, "award", "30000", award=books.awards["b_provisional"])
    e["b_start"] = books.entry(b, "advance", "9000", condition="start")
    e["b_midpoint"] = books.entry(b, "advance", "6000", condition="midpoint")
    e["b_completion"] = books.entry(b, "advance", "9000", condition="completion")
    books.awards["b_settlement"] = books.award(b, "settlement", "18000")
    e["b_settle_award"] = books.entry(b, "award", "-12000", award=books.awards["b_settlement"])
    e["b_due"] = books.entry(b, "recovery_due", "6000")
    e["b_recovered"] = books.entry(b, "recovery", "4000")
    return books


@pytest.fixture
def books(world):
    return build_ledger(world)


def run_command():
    """(exit status, printed output) of `manage.py ledger_check` run in-process."""
    out, err = StringIO(), StringIO()
    try:
        call_command("ledger_check", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def codes(problems):
    return {p.code for p in problems}


def problem(problems, code):
    found = [p for p in problems if p.code == code]
    assert found, f"no {code} in {[str(p) for p in problems]}"
    return found[0]


# --- a consistent ledger ----------------------------------------------------------------------------------


def test_a_consistent_ledger_passes_and_the_command_says_how_many_entries_it_checked(books):
    assert check_ledger() == []
    status, output = run_command()
    assert status == 0
    head = LedgerEntry.objects.latest("id").entry_hash
    count = LedgerEntry.objects.count()
    assert output.splitlines() == [f"Ledger consistent: {count} entries checked", f"Chain head: {head}"]
    assert LedgerEntry.objects.count() == 19


def test_an_empty_ledger_is_consistent(db):
    assert run_command() == (0, f"Ledger consistent: 0 entries checked\nChain head: {GENESIS}\n")


# --- each broken rule -------------------------------------------------------------------------------------


def _payment_over_award(b):
    return "payment_over_award", b.entry(b.a, "settlement", "1000")


def _advance_over_provisional(b):
    return "advance_over_provisional", b.entry(b.b, "advance", "7000", condition="completion")


def _award_negative(b):
    d = b.project("负数项目")
    b.award(d, "provisional", "0")
    return "award_negative", b.entry(d, "award", "-100", award=SubsidyAward.objects.get(project=d))


def _award_over_project_cap(b):
    d = b.project("超额项目", budget="500000")
    award = b.award(d, "provisional", "120000")
    return "award_over_project_cap", b.entry(d, "award", "120000", award=award)


def _award_over_area_year_cap(b):
    first, second = b.project("项目甲", budget="400000"), b.project("项目乙", budget="400000")
    b.entry(first, "award", "95000", award=b.award(first, "provisional", "95000"))
    return "award_over_area_year_cap", b.entry(second, "award", "95000", award=b.award(second, "provisional", "95000"))


def _receipts_over_commitment(b):
    c = b.commitments["residents"]
    Commitment.objects.filter(pk=c.pk).update(received=D("25000"))
    return "receipts_over_commitment", b.entry(b.a, "receipt", "10000", area=b.world["C1"], commitment=c)


def _received_mismatch(b):
    c = b.commitments["garden"]
    return "commitment_received_mismatch", b.entry(b.c, "receipt", "1000", area=b.world["C1"], commitment=c)


def _recovery_over_due(b):
    return "recovery_over_due", b.entry(b.b, "recovery", "3000")


def _reversal_wrong_amount(b):
    return "reversal_mismatch", b.entry(b.a, "advance", "-17999", condition="start", reverses=b.entries["a_start"])


def _reversal_wrong_kind(b):
    return "reversal_mismatch", b.entry(b.a, "settlement", "-18000", reverses=b.entries["a_start"])


def _reversal_wrong_project(b):
    return "reversal_mismatch", b.entry(b.b, "advance", "-18000", reverses=b.entries["a_start"])


def _reversal_other_year(b):
    return "reversal_charge_mismatch", b.entry(b.a, "advance", "-18000", year=2026, reverses=b.entries["a_start"])


def _award_entries_mismatch(b):
    return "award_entries_mismatch", b.entry(b.a, "award", "500", award=b.awards["a_provisional"])


def _award_not_approved(b):
    d = b.project("公示中项目")
    return "award_not_approved", b.entry(d, "award", "3000", award=b.award(d, "provisional", "3000", status="notice"))


def _payment_without_award(b):
    return "payment_without_award", b.entry(b.c, "advance", "100", condition="start")


def _receipt_without_commitment(b):
    return "receipt_without_commitment", b.entry(b.c, "receipt", "100", area=b.world["C1"])


def _receipt_for_another_project(b):
    return "receipt_without_commitment", b.entry(
        b.c, "receipt", "100", area=b.world["C1"], commitment=b.commitments["residents"]
    )


def _award_entry_without_award(b):
    return "award_entry_without_award", b.entry(b.a, "award", "0")


BREAKERS = [
    _payment_over_award,
    _advance_over_provisional,
    _award_negative,
    _award_over_project_cap,
    _award_over_area_year_cap,
    _receipts_over_commitment,
    _received_mismatch,
    _recovery_over_due,
    _reversal_wrong_amount,
    _reversal_wrong_kind,
    _reversal_wrong_project,
    _reversal_other_year,
    _award_entries_mismatch,
    _award_not_approved,
    _payment_without_award,
    _receipt_without_commitment,
    _receipt_for_another_project,
    _award_entry_without_award,
]


@pytest.mark.parametrize("breaker", BREAKERS, ids=lambda f: f.__name__.strip("_"))
def test_each_broken_rule_is_reported_with_the_row_and_the_command_fails(books, breaker):
    code, culprit = breaker(books)
    found = problem(check_ledger(), code)
    assert culprit.pk in found.ids
    assert found.message and str(culprit.pk) in str(found)
    status, output = run_command()
    assert status == 1
    assert f"[{code}]" in output
    line = next(line for line in output.splitlines() if f"[{code}]" in line)
    assert str(culprit.pk) in line.split("ledger entries:")[1]


def test_one_broken_project_does_not_implicate_the_others(books):
    _payment_over_award(books)
    problems = check_ledger()
    assert codes(problems) == {"payment_over_award"}
    ids = set(problems[0].ids)
    assert ids <= set(LedgerEntry.objects.filter(project=books.a).values_list("id", flat=True))
    assert books.entries["a_settlement"].pk in ids


def test_an_approved_award_without_its_entry_is_reported(books):
    d = books.project("漏记项目")
    award = books.award(d, "provisional", "5000")
    found = problem(check_ledger(), "award_entries_mismatch")
    assert f"Award {award.pk}" in found.message and found.ids == ()


def test_a_lower_cap_in_a_newer_policy_version_applies_to_the_area_year(books):
    stricter = SubsidyPolicy.objects.create(
        area=books.world["D1"], version=2, share=D("0.3"), cap_per_area_year=D("60000"), created_by=books.clerk
    )
    d = books.project("新版本项目")
    entry = books.entry(d, "award", "1000", award=books.award(d, "provisional", "1000", policy=stricter))
    found = problem(check_ledger(), "award_over_area_year_cap")  # 64,000 charged, 60,000 allowed
    assert entry.pk in found.ids and books.entries["a_award"].pk in found.ids
    assert books.entries["a_start"].pk not in found.ids


# --- reversals --------------------------------------------------------------------------------------------


def test_a_correction_reverses_one_entry_once_and_counts_in_the_sums(books):
    e = books.entries
    assert e["a_mistake"].reversed_by == e["a_mistake_reversed"]
    with pytest.raises(IntegrityError), transaction.atomic():
        books.entry(books.a, "advance", "-5000", condition="midpoint", reverses=e["a_mistake"])
    assert check_ledger() == []  # the mistaken 5,000 and its reversal cancel out


def test_reversing_an_award_and_booking_the_right_one_keeps_the_ledger_consistent(books):
    e = books.entries
    books.entry(books.b, "recovery", "-4000", reverses=e["b_recovered"])
    books.entry(books.b, "recovery", "4000")
    assert check_ledger() == []


# --- efficiency -------------------------------------------------------------------------------------------


def test_the_check_reads_with_a_fixed_number_of_queries(books, django_assert_max_num_queries):
    _payment_over_award(books)
    with django_assert_max_num_queries(12) as few:
        check_ledger()
    for n in range(15):
        p = books.project(f"项目{n}", budget="1000")
        books.entry(p, "award", "300", award=books.award(p, "provisional", "300"))
        books.entry(p, "advance", "90", condition="start")
        books.entry(p, "advance", "90", condition="start", memo="错误")  # one broken project of many
        books.entry(p, "advance", "-90", condition="start", reverses=LedgerEntry.objects.latest("id"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        report = run_checks()
    assert codes(report.problems) == {"payment_over_award"}
    assert report.entries_checked == 19 + 1 + 15 * 4


# --- append-only ------------------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_or_remove_ledger_entries(books):
    entry = books.entries["a_start"]
    entry.amount = D("1")
    with pytest.raises(ProtectedError):
        entry.save()
    with pytest.raises(ProtectedError):
        entry.delete()
    with pytest.raises(ProtectedError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("1"))
    with pytest.raises(ProtectedError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("18000.00")


@pytest.mark.postgres
def test_the_database_refuses_to_change_ledger_entries(books):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    entry = books.entries["a_start"]
    for sql in (
        "UPDATE funding_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM funding_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("18000.00")


# --- the hash chain ---------------------------------------------------------------------------------------


def tamper(sql, params):
    """Run `sql` as someone with database access would: the append-only triggers of the ledger dropped
    first (inside the test's transaction, so they come back when it is rolled back)."""
    with connection.cursor() as cursor:
        for name in trigger_names(connection.vendor, "funding_ledgerentry"):
            on = " ON funding_ledgerentry" if connection.vendor == "postgresql" else ""
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"{on}')
        cursor.execute(sql, params)


def test_every_entry_is_chained_to_the_one_before_it_from_the_genesis_value(books):
    entries = list(LedgerEntry.objects.order_by("id"))
    assert entries[0].prev_hash == GENESIS
    for before, entry in itertools.pairwise(entries):
        assert entry.prev_hash == before.entry_hash
        assert entry.entry_hash == chain.entry_hash(**entry.hashed_fields())
    assert run_checks().head == entries[-1].entry_hash


@pytest.mark.parametrize("amount", ["1", "840000"], ids=["lowered", "raised"])
def test_an_amount_changed_behind_the_ledgers_back_is_caught_by_the_chain(books, amount):
    """A settlement lowered to ¥1 leaves every sum below its cap (the sums alone missed it); a raise too."""
    entry = books.entries["a_settlement"]
    tamper("UPDATE funding_ledgerentry SET amount = %s WHERE id = %s", [D(amount), entry.pk])
    found = problem(check_ledger(), "chain_entry_altered")
    assert found.ids == (entry.pk,)
    status, output = run_command()
    assert status == 1 and f"Entry {entry.pk}: its stored hash does not match" in output


def test_a_removed_entry_is_caught_by_the_next_ones_link(books):
    gone, after = books.entries["a_mistake"], books.entries["a_mistake_reversed"]
    tamper("DELETE FROM funding_ledgerentry WHERE id = %s", [after.pk])
    tamper("DELETE FROM funding_ledgerentry WHERE id = %s", [gone.pk])
    found = problem(check_ledger(), "chain_link_broken")
    assert after.pk + 1 in found.ids
    assert codes(check_ledger()) == {"chain_link_broken"}  # the pair cancelled out: the sums saw nothing
    assert run_command()[0] == 1


def test_a_chain_rewritten_as_a_whole_holds_together_but_its_head_is_not_the_published_one(books):
    published = run_checks().head
    entry = books.entries["a_settlement"]
    rows = list(LedgerEntry.objects.order_by("id"))
    previous = GENESIS
    for row in rows:  # someone with database access rewrites the amount and every hash after it
        if row.pk == entry.pk:
            row.amount = D("1.00")
        row.prev_hash = previous
        row.entry_hash = chain.entry_hash(**row.hashed_fields())
        tamper(
            "UPDATE funding_ledgerentry SET amount = %s, prev_hash = %s, entry_hash = %s WHERE id = %s",
            [row.amount, "x" + str(row.pk), row.entry_hash, row.pk],  # unique prev_hash while rewriting
        )
        previous = row.entry_hash
    for row in rows:
        tamper("UPDATE funding_ledgerentry SET prev_hash = %s WHERE id = %s", [row.prev_hash, row.pk])
    report = run_checks()
    assert not [p for p in report.problems if p.code.startswith("chain_")]
    assert report.head != published  # what people hold from notices and exports no longer matches


def test_a_posting_joins_the_end_of_the_chain_whatever_hashes_the_caller_set(books):
    head = run_checks().head
    entry = books.entry(books.c, "commitment", "10", area=books.world["C1"], prev_hash=GENESIS, entry_hash="f" * 64)
    assert entry.prev_hash == head and entry.entry_hash == chain.entry_hash(**entry.hashed_fields())
    assert check_ledger() == []


def test_two_entries_cannot_follow_the_same_one(books):
    head = LedgerEntry.objects.latest("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        tamper(
            "INSERT INTO funding_ledgerentry (project_id, area_id, year, kind, amount, condition, memo, "
            "created_by_id, created_at, prev_hash, entry_hash) SELECT project_id, area_id, year, kind, amount, "
            "condition, memo, created_by_id, created_at, prev_hash, %s FROM funding_ledgerentry WHERE id = %s",
            ["e" * 64, head.pk],
        )
