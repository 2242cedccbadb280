import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deliberation import services
from deliberation.models import Ballot, BallotBox
from tests.factories import UserFactory
from tests.world import fresh, verify

pytestmark = pytest.mark.django_db


def test_review_confirm_cast_and_receipt_on_the_page(client, world, pb):
    client.force_login(world["resident"])
    page = client.get(pb.get_absolute_url()).content.decode()
    assert 'data-budget="100.00"' in page and "甲项目" in page
    over = client.post(pb.get_absolute_url(), {"step": "review", "choice": ["1", "2"]})
    assert over.status_code == 400 and "超过了预算" in over.content.decode()
    review = client.post(pb.get_absolute_url(), {"step": "review", "choice": ["1", "3"]}).content.decode()
    assert "确认您的选票" in review and "合计 ¥90.00" in review
    assert not Ballot.objects.exists()  # nothing is cast before the confirmation
    cast = client.post(pb.get_absolute_url(), {"step": "cast", "choice": ["1", "3"]}).content.decode()
    assert "您的选票已投出" in cast
    # The receipt sentence is one whole translated sentence, ending with a Chinese full stop.
    assert "截止前还可以用它修改选票。" in cast or "是否已计入。" in cast
    assert not re.search(r"[\u3400-\u9fff，]\.", cast)
    code = cast.split("data-receipt>")[1].split("<")[0]
    client.logout()  # anyone holding the code may check it
    check = client.post("/ballots/receipt/", {"code": code}).content.decode()
    assert "这张选票在“一街道微项目预算”的票箱中" in check and "投票截止后将计入结果" in check
    # The receipt never shows what was chosen: it could otherwise prove a vote to a buyer or a coercer.
    assert "所选" not in check and "甲项目" not in check and "丙项目" not in check
    assert "不会显示您投了什么" in check
    # A code in the address is not checked: it would end up in server logs and the browser's history.
    in_url = client.get("/ballots/receipt/", {"code": code}).content.decode()
    assert "这张选票在“" not in in_url and "投票截止后将计入结果" not in in_url
    assert client.post("/ballots/receipt/", {"code": "NOPE"}).content.decode().count("没有与此回执码对应的选票") == 1


def test_results_stay_hidden_until_the_close(client, api_client, world, pb):
    services.vote_cast(user=fresh(world["resident"]), box=pb, choices=["1"])
    assert "投票截止并计票后才公布结果" in client.get(f"/ballots/{pb.pk}/results/").content.decode()
    hidden = api_client.get(f"/api/ballots/{pb.pk}/results/")
    assert hidden.status_code == 409 and hidden.json()["code"] == "results_hidden"
    BallotBox.objects.filter(pk=pb.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.box_tally(box=pb)
    page = client.get(f"/ballots/{pb.pk}/results/").content.decode()
    assert "获资助" in page and "第 1 轮入选" in page and '<ol class="result-bars">' in page
    body = api_client.get(f"/api/ballots/{pb.pk}/results/").json()
    assert body["selected"] == ["1"] and body["turnout"] == 1
    export = client.get(f"/ballots/{pb.pk}/export.pb").content.decode()
    assert "PROJECTS" in export and "1;60;甲项目;;1" in export.replace("\r", "")


def test_staff_prepare_announce_and_enter_paper_ballots_on_pages(client, world):
    client.force_login(world["official_here"])
    assert "一街道" in client.get("/ballots/new/").content.decode()
    response = client.post(
        "/ballots/new/",
        {
            "area": world["S1"].code,
            "kind": "budget",
            "title": "新的预算投票",
            "budget": "500",
            "rule": "mes-add1",
            "min_choices": 0,
            "max_choices": 0,
            "quorum_share": 0,
            "threshold": "1/2",
            "secret": "on",
            "allow_change": "on",
        },
    )
    box = BallotBox.objects.get(title="新的预算投票")
    assert response["Location"] == f"/ballots/{box.pk}/manage/"
    for title, cost in (("路灯", "200"), ("长椅", "100")):
        client.post(f"/ballots/{box.pk}/manage/", {"form": "option", "title": title, "cost": cost})
    now = timezone.localtime()
    client.post(
        f"/ballots/{box.pk}/manage/",
        {
            "form": "schedule",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert BallotBox.objects.get(pk=box.pk).phase() == "open"
    voter = UserFactory()
    verify(voter, world["c1a"])
    page = client.post(
        f"/ballots/{box.pk}/manage/", {"form": "paper", "label": "一号点", "voters": voter.email, "ballots": "1,2"}
    )
    assert page.status_code == 302 and Ballot.objects.filter(box=box, channel="paper").count() == 1
    client.post(f"/ballots/{box.pk}/manage/", {"form": "close"})
    assert BallotBox.objects.get(pk=box.pk).state == "tallied"
    client.force_login(world["resident"])
    assert client.get(f"/ballots/{box.pk}/manage/").status_code == 403


def test_list_queries_do_not_grow(client, world):
    def grow(n):
        for i in range(n):
            box = services.box_create(
                actor=fresh(world["official_here"]), area=world["S1"], kind="question", title=f"问题第{i}号"
            )
            now = timezone.now()
            services.box_schedule(
                actor=fresh(world["official_here"]), box=box, opens_at=now, closes_at=now + timedelta(days=1)
            )

    grow(2)
    with CaptureQueriesContext(connection) as small:
        client.get("/ballots/")
        client.get("/api/ballots/")
    grow(10)
    with CaptureQueriesContext(connection) as large:
        client.get("/ballots/")
        client.get("/api/ballots/")
    assert len(large) == len(small)


def test_closing_early_and_counting_is_one_action(client, world, pb, monkeypatch):
    """If the count fails, the vote stays open: never a box closed early but left uncounted."""
    from civic.errors import Conflict

    def broken_count(box, rule=None):
        raise Conflict("count_failed", "The count failed.")

    monkeypatch.setattr("deliberation.selectors.ballots.count", broken_count)
    client.force_login(world["organiser_here"])
    client.post(f"/ballots/{pb.pk}/manage/", {"form": "close"})
    box = BallotBox.objects.get(pk=pb.pk)
    assert box.phase() == "open" and box.closes_at == pb.closes_at
    monkeypatch.undo()
    response = client.post(f"/ballots/{pb.pk}/manage/", {"form": "close"})
    assert response["Location"] == f"/ballots/{pb.pk}/results/"
    assert BallotBox.objects.get(pk=pb.pk).state == "tallied"


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-add1"])
def test_a_budget_vote_nobody_voted_in_is_counted_with_nothing_funded(world, pb, rule):
    BallotBox.objects.filter(pk=pb.pk).update(rule=rule, closes_at=timezone.now() - timedelta(seconds=1))
    box = services.box_tally(box=pb)
    assert box.state == "tallied" and box.turnout == 0 and box.result["selected"] == []
    assert {o["reason"] for o in box.result["options"]} == {"no_votes"}
