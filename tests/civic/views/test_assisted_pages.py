"""The assisted-participation pages: register, act for a resident (banner on every page, stop button), vote
with them behind the privacy step, and nothing afterwards shows the staff member the choice."""

from django.test import Client
from django.urls import reverse

from civic.models import AssistedResident
from deliberation.models import Participation
from proposals.models import Endorsement
from tests.civic.assisted import register
from tests.deliberation.conftest import pb  # noqa: F401  (the open participatory budget of 一街道)


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def test_registering_in_person_on_the_page(world):
    client = _client(world["organiser_here"])
    page = client.get(reverse("civic:assisted-new"))
    assert page.status_code == 200
    cells = [c.code for c in page.context["form"].fields["cell"].queryset]
    assert world["c1a"].code in cells and world["c2a"].code not in cells
    data = {"display_name": "李大爷", "cell": world["c1a"].pk, "address": "柳岸小区 1 栋", "id_last4": "4567"}
    refused = client.post(reverse("civic:assisted-new"), data)
    assert refused.status_code == 400 and "consent" in refused.context["form"].errors
    assert not AssistedResident.objects.exists()
    done = client.post(reverse("civic:assisted-new"), {**data, "consent": "on"})
    person = AssistedResident.objects.get().user
    assert done.status_code == 302 and done["Location"] == reverse("civic:assisted-detail", args=[person.pk])
    assert client.get(reverse("civic:assisted-list")).status_code == 200
    assert _client(world["resident"]).get(reverse("civic:assisted-new")).status_code == 403


def test_the_detail_page_is_for_staff_of_the_area_only(world):
    person = register(world)
    page = _client(world["organiser_here"]).get(reverse("civic:assisted-detail", args=[person.pk]))
    assert page.status_code == 200 and "123X" in page.content.decode()
    for role in ("organiser_elsewhere", "resident", "admin"):
        assert _client(world[role]).get(reverse("civic:assisted-detail", args=[person.pk])).status_code == 404
    assert "123X" not in Client().get(reverse("civic:person-detail", args=[person.pk])).content.decode()


def test_the_claim_code_slip_is_printable_and_not_cached(world):
    person = register(world)
    slip = _client(world["organiser_here"]).post(reverse("civic:assisted-claim-code", args=[person.pk]))
    assert slip.status_code == 200 and "no-store" in slip["Cache-Control"]
    assert "data-claim-code" in slip.content.decode()


def test_acting_shows_a_banner_everywhere_and_co_signs_in_the_residents_name(world, make_proposal):
    proposal = make_proposal()
    person = register(world)
    client = _client(world["organiser_here"])
    client.post(reverse("civic:acting-start", args=[person.pk]))
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "正在为 王秀兰 代办" in page and reverse("civic:acting-stop") in page
    assert "正在为 王秀兰 代办" in client.get(reverse("civic:area-list")).content.decode()
    client.post(reverse("proposals:proposal-action", args=[proposal.pk, "endorse"]))
    assert Endorsement.objects.get(proposal=proposal).user == person
    client.post(reverse("civic:acting-stop"))
    assert "正在为" not in client.get(reverse("civic:area-list")).content.decode()


def test_someone_not_allowed_cannot_start_acting(world):
    person = register(world)
    response = _client(world["organiser_elsewhere"]).post(reverse("civic:acting-start", args=[person.pk]))
    assert response.status_code == 404


def test_voting_with_a_resident_behind_the_privacy_step(world, pb):  # noqa: F811
    person = register(world)
    client = _client(world["organiser_here"])
    client.post(reverse("civic:acting-start", args=[person.pk]))
    first = client.get(pb.get_absolute_url())
    assert "请将设备交给居民本人" in first.content.decode() and 'name="choice"' not in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    ballot = client.get(pb.get_absolute_url(), {"handed": "1"}).content.decode()
    assert 'name="choice"' in ballot
    review = client.post(pb.get_absolute_url(), {"step": "review", "choice": ["3"]})
    assert "丙项目" in review.content.decode()
    receipt = client.post(pb.get_absolute_url(), {"step": "cast", "choice": ["3"]})
    page = receipt.content.decode()
    assert receipt.status_code == 200 and "data-receipt" in page and "丙项目" not in page
    assert Participation.objects.get(box=pb, user=person).assisted_by == world["organiser_here"]
    after = client.get(pb.get_absolute_url()).content.decode()
    assert "王秀兰已投票" in after and "丙项目" not in after and "checked" not in after


def test_the_sign_in_page_points_to_claiming_an_account(db):
    page = Client().get(reverse("account_login")).content.decode()
    assert reverse("civic:claim-account") in page and "电子邮件或手机号" in page
