"""What a receipt proves: the ballot is in the box and (once counted) counted — never what it chose, so a
voter cannot prove their vote to someone buying or forcing it. The export of a box's ballots does not
follow the order of casting either."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from deliberation import selectors, services
from deliberation.models import Ballot, BallotBox
from deliberation.selectors import ReceiptStatus
from tests.factories import UserFactory
from tests.world import verify

pytestmark = pytest.mark.django_db


def voter(world):
    person = UserFactory()
    verify(person, world["c1a"])
    return person


def test_a_receipt_names_the_box_and_whether_it_is_counted_never_the_choices(world, pb):
    _ballot, code = services.vote_cast(user=voter(world), box=pb, choices=["1", "3"])
    status = selectors.receipt_check(code)
    assert status == selectors.receipt_check(code.lower().replace("-", ""))  # typed loosely, same ballot
    assert isinstance(status, ReceiptStatus) and status.box.pk == pb.pk
    assert (status.counted, status.closed) == (False, False)
    # Nothing in what the check returns carries the ballot or its choices.
    assert {f.name for f in dataclasses.fields(status)} == {"box", "counted", "closed"}
    assert not any(isinstance(getattr(status, f.name), Ballot) for f in dataclasses.fields(status))

    BallotBox.objects.filter(pk=pb.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert (selectors.receipt_check(code).counted, selectors.receipt_check(code).closed) == (False, True)
    services.box_tally(box=pb)
    assert (selectors.receipt_check(code).counted, selectors.receipt_check(code).closed) == (True, True)


@pytest.mark.parametrize("code", ["", "   ", "--", "NOPE-NOPE-NOPE"])
def test_an_unknown_or_empty_code_finds_nothing(world, pb, code):
    services.vote_cast(user=voter(world), box=pb, choices=["1"])
    assert selectors.receipt_check(code) is None


def test_the_pb_export_lists_ballots_by_their_random_key_not_in_casting_order(world, pb):
    for choices in (["1"], ["2"], ["3"], ["1", "3"], ["2", "3"], ["3"]):
        services.vote_cast(user=voter(world), box=pb, choices=choices)
    BallotBox.objects.filter(pk=pb.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    box = services.box_tally(box=pb)
    votes = selectors.pb_export(box).replace("\r", "").split("VOTES\n")[1].splitlines()[1:]
    exported = [line.split(";")[1] for line in votes]
    by_key = [",".join(c) for c in Ballot.objects.filter(box=pb).order_by("id").values_list("choices", flat=True)]
    assert exported == by_key
