"""Subsidy policies: versioned per area, inherited down the tree, set only by officials."""

from decimal import Decimal

import pytest
from django.utils import timezone

from civic.errors import InvalidInput, NotAllowed
from civic.models import AuditEntry, TimelineEntry
from funding import selectors, services
from funding.models import SubsidyPolicy
from funding.subsidy import provisional_award

DISTRICT = {
    "share": Decimal("0.30"),
    "cap_per_project": Decimal("100000"),
    "cap_per_area_year": Decimal("250000"),
    "min_self_funded_share": Decimal("0.10"),
    "min_acceptance_score": Decimal("80"),
    "min_satisfaction_rate": Decimal("0.8"),
    "advance_start": Decimal("0.3"),
    "advance_midpoint": Decimal("0.5"),
    "advance_completion": Decimal("0.8"),
}


def publish(world, who="official_here", area="D1", **changes):
    return services.policy_publish(actor=world[who], area=world[area], data={**DISTRICT, **changes})


@pytest.mark.django_db
def test_a_community_inherits_the_nearest_policy_until_it_has_its_own(world):
    assert selectors.policy_in_force(world["c1a"]) is None
    city = publish(world, who="official_city", area="city", share=Decimal("0.2"))
    district = publish(world)
    assert selectors.policy_in_force(world["c1a"]) == district
    assert selectors.policy_in_force(world["c2a"]) == city  # the other district has none of its own
    community = publish(world, who="official_here", area="C1", share=Decimal("0.4"))
    assert selectors.policy_in_force(world["c1a"]) == community
    assert selectors.policy_in_force(world["S1"]) == district


@pytest.mark.django_db
def test_a_new_version_never_changes_the_old_one_and_each_is_in_force_from_its_moment(world):
    first = publish(world)
    later = timezone.now() + timezone.timedelta(days=30)
    second = services.policy_publish(
        actor=world["official_here"],
        area=world["D1"],
        data={**DISTRICT, "share": Decimal("0.25")},
        effective_from=later,
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.share == Decimal("0.3000")
    assert selectors.policy_in_force(world["c1a"]) == first  # the second is only scheduled
    assert selectors.policy_in_force(world["c1a"], at=later) == second
    assert [p.version for p in selectors.policy_versions(world["D1"])] == [2, 1]
    assert AuditEntry.objects.filter(action="subsidy_policy.published").count() == 2
    line = TimelineEntry.objects.filter(verb="subsidy.policy_published").latest("id")
    assert line.params == {"version": 2, "share": "25"}


@pytest.mark.django_db
def test_the_version_feeds_the_award_arithmetic(world):
    policy = publish(world).as_policy()
    assert policy.advances == (
        ("start", Decimal("0.3000")),
        ("midpoint", Decimal("0.5000")),
        ("completion", Decimal("0.8000")),
    )
    assert provisional_award(approved_budget=Decimal("500000"), policy=policy).amount == Decimal("100000.00")
    assert provisional_award(
        approved_budget=Decimal("120000"), policy=policy, area_year_used=Decimal("230000")
    ).amount == Decimal("20000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who,area",
    [("official_elsewhere", "D1"), ("official_here", "city"), ("organiser_here", "S1"), ("resident", "c1a")],
)
def test_only_officials_of_the_area_or_above_set_a_policy(world, who, area):
    with pytest.raises(NotAllowed):
        publish(world, who=who, area=area)
    assert not SubsidyPolicy.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,code,field",
    [
        ({"share": None}, "required", "share"),
        ({"share": Decimal("1.2")}, "share_range", "share"),
        ({"share": Decimal("-0.1")}, "share_range", "share"),
        ({"share": Decimal("0.33333")}, "share_precision", "share"),
        ({"share": "abc"}, "not_a_number", "share"),
        ({"share": "NaN"}, "not_a_number", "share"),
        ({"cap_per_project": Decimal("-1")}, "amount_negative", "cap_per_project"),
        ({"cap_per_project": Decimal("10.001")}, "amount_precision", "cap_per_project"),
        ({"cap_per_area_year": Decimal("1e40")}, "amount_too_large", "cap_per_area_year"),
        ({"cap_per_project": Decimal("300000")}, "caps_inconsistent", "cap_per_project"),
        ({"min_acceptance_score": Decimal("101")}, "score_range", "min_acceptance_score"),
        ({"notice_days": 0}, "days_range", "notice_days"),
        ({"notice_days": "seven"}, "days_invalid", "notice_days"),
        ({"advance_midpoint": Decimal("0.2")}, "advances_not_rising", "advance_midpoint"),
    ],
)
def test_bad_figures_are_refused_by_name_and_nothing_is_written(world, changes, code, field):
    with pytest.raises(InvalidInput) as refused:
        publish(world, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert str(refused.value.message)
    assert not SubsidyPolicy.objects.exists() and not AuditEntry.objects.filter(action__startswith="subsidy").exists()


@pytest.mark.django_db
def test_a_policy_cannot_start_in_the_past(world):
    with pytest.raises(InvalidInput) as refused:
        services.policy_publish(
            actor=world["official_here"],
            area=world["D1"],
            data=DISTRICT,
            effective_from=timezone.now() - timezone.timedelta(days=1),
        )
    assert refused.value.code == "effective_in_past"


@pytest.mark.django_db
def test_finding_the_policy_in_force_is_one_query_at_any_depth(world, django_assert_num_queries):
    publish(world, who="official_city", area="city")
    for area in ("city", "D1", "c1a"):
        with django_assert_num_queries(1):
            assert selectors.policy_in_force(world[area]).area.code == "77"
