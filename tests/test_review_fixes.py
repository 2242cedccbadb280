"""Bad input that used to crash or slip through, across the apps: each now gets a clear refusal."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civic import services as civic_services
from civic.errors import Conflict, InvalidInput, NotFound
from civic.models import AreaRole, Organisation, OrganisationRequest
from civic.validators import as_pk, as_pks
from deliberation import procedure
from deliberation import services as delib_services
from proposals import services as proposal_services
from proposals.models import Category
from tests.factories import UserFactory, valid_credit_code
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def _neighbour(w):
    person = UserFactory()
    verify(person, w["c1a"])
    return person


def test_primary_keys_from_request_text():
    assert as_pk("42") == 42 and as_pk(" 7 ") == 7
    for bad in ("²", "٣", "-1", "1.5", "", None, "9" * 19, "abc"):
        assert as_pk(bad) is None, bad
    assert as_pks(["1", "²", "x", "3"]) == [1, 3]


def test_odd_digits_in_request_text_are_ignored_not_a_500(client, world, pworld):
    client.force_login(world["resident"])
    assert client.post("/notifications/", {"id": ["²"]}).status_code == 302
    assert client.get("/proposals/similar/", {"area": "²", "title": "楼道灯"}).status_code == 200
    response = client.get("/api/proposals/", {"category": "²"})
    assert response.status_code == 400 and response.json()["code"] == "category_unknown"


def test_an_unknown_action_on_a_membership_request_changes_nothing(client, world):
    request = OrganisationRequest.objects.create(
        organisation=world.organisation, user=world["resident"], kind="join", created_by=world["resident"]
    )
    client.force_login(world["representative"])
    response = client.post(f"/organisation-requests/{request.pk}/", {"action": "maybe"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_role_taken_back_twice_is_not_found_the_second_time(world):
    role = AreaRole.objects.get(user=world["organiser_here"], role="organiser")
    civic_services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="调岗")
    with pytest.raises(NotFound):
        civic_services.area_role_revoke(actor=fresh(world["official_here"]), area_role=role, reason="调岗")


def test_a_duplicate_credit_code_and_area_code_are_conflicts(world):
    code = valid_credit_code(902, "91")
    civic_services.organisation_create(name="甲公司", kind="enterprise", credit_code=code, areas=[world["C1"]])
    with pytest.raises(Conflict) as refused:
        civic_services.organisation_create(name="乙公司", kind="enterprise", credit_code=code, areas=[world["C1"]])
    assert refused.value.code == "credit_code_taken" and Organisation.objects.filter(credit_code=code).count() == 1
    with pytest.raises(Conflict) as refused:
        civic_services.area_create(code="7701", name="重复区", level="district", parent=world["city"])
    assert refused.value.code == "area_code_taken"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-inf", "sNaN"])
def test_a_pledge_that_is_no_number_is_refused(make_proposal, pworld, amount):
    proposal = make_proposal()
    with pytest.raises(InvalidInput) as refused:
        proposal_services.cosponsor_join(
            user=_neighbour(pworld),
            proposal=proposal,
            pledge_kind="money",
            pledge_amount=amount,
        )
    assert refused.value.field == "pledge_amount"


def test_a_category_name_taken_is_a_conflict(world):
    Category.objects.create(name="停车管理")
    other = Category.objects.create(name="绿化美化")
    with pytest.raises(Conflict):
        proposal_services.category_save(actor=world["admin"], category=other, name="停车管理")
    other.refresh_from_db()
    assert other.name == "绿化美化"


def test_editing_a_comment_through_the_api_without_a_stance_keeps_it(api_client, make_proposal, pworld):
    proposal = make_proposal()
    comment = proposal_services.comment_add(author=pworld["member"], proposal=proposal, body="支持！", stance="for")
    api_client.force_authenticate(fresh(pworld["member"]))
    response = api_client.patch(f"/api/comments/{comment.pk}/", {"body": "非常支持！"}, format="json")
    assert response.status_code == 200, response.content
    comment.refresh_from_db()
    assert (comment.body, comment.stance) == ("非常支持！", "for")


def test_malformed_commands_are_refused_by_the_engine_not_crashing_it(monkeypatch):
    rules = procedure.rules_from_preset("nantang", {})
    state = procedure.State(members=frozenset({"1"}), chair="1")
    for command in ({}, {"type": ["check_in"]}, {"type": {"x": 1}}):
        with pytest.raises(procedure.ProcedureError) as refused:
            procedure.apply(rules, state, {**command, "actor": "1"})
        assert refused.value.code == "unknown_command"
    # malformed arguments are refused by deliberation.commands before the engine; a handler that still
    # trips over its input is a bug and must surface as one, not pass for a user's mistake
    monkeypatch.setitem(procedure.engine._HANDLERS, "check_in", lambda rules, state, actor, now, c: int(c["seconds"]))
    with pytest.raises(ValueError):
        procedure.apply(rules, state, {"type": "check_in", "actor": "1", "seconds": "x"})


def test_a_council_needs_a_rule_set_that_exists(world):
    with pytest.raises(InvalidInput) as refused:
        delib_services.council_create(
            actor=fresh(world["organiser_here"]), area=world["S1"], name="议事会", preset="x" * 30
        )
    assert refused.value.field == "preset"


def test_the_council_list_costs_the_same_queries_with_more_councils(api_client, world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/councils/").status_code == 200
        return len(queries.captured_queries)

    delib_services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name="一街道议事会")
    one = count()
    for i in range(5):
        delib_services.council_create(actor=fresh(world["organiser_here"]), area=world["S1"], name=f"议事会{i}")
    assert count() == one
    assert {c["members"] for c in api_client.get("/api/councils/").json()["results"]} == {0}


def test_money_helper_still_takes_plain_amounts(make_proposal, pworld):
    proposal = make_proposal()
    sponsor = proposal_services.cosponsor_join(
        user=_neighbour(pworld),
        proposal=proposal,
        pledge_kind="money",
        pledge_amount="1200.50",
    )
    assert sponsor.pledge_amount == Decimal("1200.50")
