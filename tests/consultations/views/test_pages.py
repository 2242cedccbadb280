"""The consultation pages: a person can do in the browser what the services allow, and is told why not."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations import services
from consultations.models import Opinion, TextUnit
from tests.consultations.conftest import close

pytestmark = pytest.mark.django_db

MARKDOWN = """# 一社区居民公约（草案）

## 第一章 总则

第一条 为了建设和谐社区，制定本公约。

第二条 居民应当：
（一）爱护公共环境；
（二）文明养犬。

## 第二章 附则

第三条 本公约自通过之日起施行。
"""


def test_official_creates_imports_with_preview_corrects_and_publishes(client, world):
    client.force_login(world["official_here"])
    closes = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("consultations:consultation-new"),
        {
            "area": world["C1"].pk,
            "title": "一社区居民公约（征求意见稿）",
            "kind": "convention",
            "participation": "residents",
            "organisations_take_part": "on",
            "opinions_public": "on",
            "closes_at": closes,
            "answer_working_days": 15,
            "drafters": "",
        },
    )
    assert response.status_code == 302
    text_url = response["Location"]
    preview = client.post(
        text_url, {"source": MARKDOWN.replace("第三条", "第五条"), "source_format": "markdown", "do": "preview"}
    )
    assert preview.status_code == 200
    assert "第五条" in preview.content.decode()
    assert (
        "number 5 where 3 was expected" in preview.content.decode()
        or "第 5" in preview.content.decode()
        or "5" in preview.content.decode()
    )
    assert not TextUnit.objects.exists()  # a preview saves nothing
    saved = client.post(text_url, {"source": MARKDOWN, "source_format": "markdown", "do": "save"})
    assert saved.status_code == 302
    consultation_url = saved["Location"]
    unit = TextUnit.objects.get(anchor="art2-p1-i2")
    corrected = client.post(
        reverse("consultations:unit-correct", args=[unit.version.consultation_id, unit.anchor]),
        {"kind": "item", "number": "（二）", "text": "文明养犬，及时清理犬只粪便。"},
    )
    assert corrected.status_code == 302
    page = client.get(consultation_url)
    assert "文明养犬，及时清理犬只粪便。" in page.content.decode()
    published = client.post(
        reverse("consultations:consultation-action", args=[unit.version.consultation_id, "publish"])
    )
    assert published.status_code == 302
    unit.version.consultation.refresh_from_db()
    assert unit.version.consultation.state == "open"


def test_a_draft_is_not_found_for_others(client, world, make_consultation):
    consultation = make_consultation(publish=False)
    assert client.get(consultation.get_absolute_url()).status_code == 404
    client.force_login(world["resident"])
    assert client.get(consultation.get_absolute_url()).status_code == 404


def test_resident_comments_with_wording_and_sees_the_diff(client, world, open_consultation):
    client.force_login(world["resident"])
    page = client.get(open_consultation.get_absolute_url() + "?unit=art1-p1")
    assert 'value="art1-p1" selected' in page.content.decode()
    response = client.post(
        reverse("consultations:opinion-list", args=[open_consultation.pk]),
        {"unit": "art1-p1", "text": "应写明依据。", "wording": "为了维护业主的合法权益，根据民法典，制定本规约。"},
    )
    assert response.status_code == 302
    assert Opinion.objects.get().wording
    detail = client.get(response["Location"]).content.decode()
    assert "<ins>根据民法典，</ins>" in detail


def test_a_refused_opinion_is_shown_on_the_form(client, world, open_consultation):
    client.force_login(world["resident"])
    response = client.post(
        reverse("consultations:opinion-list", args=[open_consultation.pk]),
        {"unit": "", "text": "意见", "wording": "新的表述"},
    )
    assert response.status_code == 400
    assert "Choose the part of the text" in response.content.decode() or "选择" in response.content.decode()
    assert not Opinion.objects.exists()


def test_resident_elsewhere_sees_why_not(client, world, open_consultation):
    client.force_login(world["resident_elsewhere"])
    page = client.get(open_consultation.get_absolute_url()).content.decode()
    assert 'id="id_text"' not in page
    response = client.post(reverse("consultations:opinion-list", args=[open_consultation.pk]), {"text": "意见"})
    assert response.status_code == 403


def test_support_button_and_count(client, world, make_consultation):
    consultation = make_consultation(participation="signed_in")
    opinion = services.opinion_submit(author=world["resident"], consultation=consultation, text="意见")
    client.force_login(world["resident_elsewhere"])
    url = reverse("consultations:opinion-action", args=[consultation.pk, opinion.pk, "support"])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 409
    opinion.refresh_from_db()
    assert opinion.support_count == 1


def test_offline_entry_page(client, world, open_consultation):
    client.force_login(world["organiser_here"])
    url = reverse("consultations:offline-entry", args=[open_consultation.pk])
    today = timezone.localdate().isoformat()
    response = client.post(url, {"do": "symposium", "held_on": today, "place": "社区会议室", "attendance": 15})
    assert response.status_code == 302
    response = client.post(
        response["Location"],
        {
            "do": "opinion",
            "source": "symposium",
            "symposium": response["Location"].split("=")[-1],
            "unit": "art2",
            "text": "座谈意见",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get().source == "symposium"
    client.force_login(world["resident"])
    assert client.get(url).status_code == 403


def test_answer_desk_answers_groups_and_the_close_guard(client, world, open_consultation):
    a = services.opinion_submit(author=world["resident"], consultation=open_consultation, unit="art1", text="甲")
    b = services.opinion_submit(author=world["resident"], consultation=open_consultation, unit="art2", text="乙")
    c = services.opinion_submit(author=world["resident"], consultation=open_consultation, text="丙")
    close(open_consultation)
    client.force_login(world["official_here"])
    desk = reverse("consultations:answer-desk", args=[open_consultation.pk])
    assert client.get(desk).status_code == 200
    finish = reverse("consultations:finish-answering", args=[open_consultation.pk])
    assert client.post(finish).status_code == 409
    answer = reverse("consultations:opinion-answer", args=[open_consultation.pk, a.pk])
    assert client.post(answer, {"classification": "adopted", "reason": "已修改"}).status_code == 302
    again = client.post(answer, {"classification": "adopted", "reason": "再答"})
    assert again.status_code == 409
    assert "already been answered" in again.content.decode() or "已" in again.content.decode()
    group = client.post(
        reverse("consultations:group-create", args=[open_consultation.pk]), {"title": "相近", "opinions": [b.pk, c.pk]}
    )
    assert group.status_code == 302
    group_pk = Opinion.objects.get(pk=b.pk).group_id
    response = client.post(
        reverse("consultations:group-answer", args=[open_consultation.pk, group_pk]),
        {"classification": "not_adopted", "reason": "理由如下"},
    )
    assert response.status_code == 302
    assert client.post(finish).status_code == 302
    open_consultation.refresh_from_db()
    assert open_consultation.state == "answered"
    client.force_login(world["resident"])
    assert (
        "理由如下"
        in client.get(reverse("consultations:opinion-detail", args=[open_consultation.pk, c.pk])).content.decode()
    )


def test_the_desk_is_for_drafters_only(client, world, open_consultation):
    client.force_login(world["resident"])
    assert client.get(reverse("consultations:answer-desk", args=[open_consultation.pk])).status_code == 403


def test_list_and_subscription(client, world, open_consultation):
    page = client.get(reverse("consultations:consultation-list") + f"?area={world['D1'].code}")
    assert open_consultation.title in page.content.decode()
    elsewhere = client.get(reverse("consultations:consultation-list") + f"?area={world['D2'].code}")
    assert open_consultation.title not in elsewhere.content.decode()
    client.force_login(world["resident"])
    offered = client.get(reverse("consultations:consultation-list")).content.decode()
    assert reverse("consultations:area-subscription", args=[world["C1"].code]) in offered  # where they live
    response = client.post(reverse("consultations:area-subscription", args=[world["C1"].code]), {"subscribe": "1"})
    assert response.status_code == 302
    assert 'name="subscribe" value="0"' in client.get(reverse("consultations:consultation-list")).content.decode()


def test_opinion_list_pages_with_constant_queries(client, world, make_consultation, django_assert_max_num_queries):
    consultation = make_consultation(participation="signed_in")
    unit = TextUnit.objects.get(version__consultation=consultation, anchor="art1")
    Opinion.objects.bulk_create(
        Opinion(consultation=consultation, unit=unit if i % 2 else None, author=world["resident"], text=f"意见{i}")
        for i in range(120)
    )
    client.force_login(world["resident_elsewhere"])
    url = reverse("consultations:opinion-list", args=[consultation.pk])
    client.get(url)
    # both measured reads render the list (a filter not read before: no kept copy), with few and many rows
    with django_assert_max_num_queries(16) as first:
        client.get(url + "?page=2&order=time")
    bigger = [
        Opinion(consultation=consultation, unit=unit, author=world["resident_elsewhere"], text=f"更多{i}")
        for i in range(300)
    ]
    Opinion.objects.bulk_create(bigger)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url + "?page=3&order=support")
    assert response.status_code == 200


def test_questions_are_answered_once_on_the_page(client, world, make_consultation):
    consultation = make_consultation(publish=False)
    question = services.question_add(
        actor=world["official_here"],
        consultation=consultation,
        kind="single",
        text="是否赞成？",
        options=["赞成", "反对"],
    )
    services.consultation_publish(actor=world["official_here"], consultation=consultation)
    client.force_login(world["resident"])
    url = reverse("consultations:question-answer", args=[consultation.pk, question.pk])
    both = [o.pk for o in question.options.all()]
    refused = client.post(url, {"options": both})
    assert refused.status_code == 400
    assert "Choose one option." in refused.content.decode() or "请选择一项。" in refused.content.decode()
    assert client.post(url, {"options": both[:1]}).status_code == 302
    assert client.post(url, {"options": both[:1]}).status_code == 409
    assert question.answers.count() == 1


def test_the_admin_lists_consultations_and_opinions_read_only(client, world, open_consultation):
    services.opinion_submit(author=world["resident"], consultation=open_consultation, text="意见")
    client.force_login(world["admin"])
    for name in ("consultation", "opinion"):
        assert client.get(reverse(f"admin:consultations_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:consultations_consultation_add")).status_code == 403
    change = client.get(reverse("admin:consultations_consultation_change", args=[open_consultation.pk]))
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()
