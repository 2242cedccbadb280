"""The result's pages: the drafters write the final text and publish; everyone reads the comparison, the
report and the report sent upstream once it is published, and nobody before."""

import pytest
from django.urls import reverse

from consultations import services
from consultations.models import TextUnit
from tests.consultations.conftest import close
from tests.consultations.results_fixtures import answered_consultation

pytestmark = pytest.mark.django_db


def final_unit(consultation, anchor):
    return TextUnit.objects.get(version__consultation=consultation, version__kind="final", anchor=anchor)


def test_the_drafter_writes_the_final_text_and_publishes_in_the_browser(client, world, make_consultation):
    consultation, opinions = answered_consultation(world, make_consultation)
    client.force_login(world["official_here"])
    page = client.get(reverse("consultations:final-text", args=[consultation.pk]))
    assert page.status_code == 200 and "以草案为底稿开始撰写最终文本" in page.content.decode()
    client.post(reverse("consultations:final-start", args=[consultation.pk]))
    unit = final_unit(consultation, "art1-p1")
    edit = client.get(reverse("consultations:final-text", args=[consultation.pk]) + f"?unit={unit.pk}")
    assert f'value="{opinions["wording"].pk}"' in edit.content.decode()  # the adopted opinion on that article
    refused = client.post(
        reverse("consultations:final-unit", args=[consultation.pk, unit.pk]),
        {"text": "x", "opinions": [opinions["plain"].pk]},
    )
    assert refused.status_code == 400  # not a choice for this unit: the form says so, nothing saved
    unit.refresh_from_db()
    assert unit.text != "x"
    done = client.post(
        reverse("consultations:final-unit", args=[consultation.pk, unit.pk]),
        {"text": "为了维护业主的合法权益，根据《民法典》，制定本规约。", "opinions": [opinions["wording"].pk]},
    )
    assert done.status_code == 302
    published = client.post(reverse("consultations:consultation-conclude", args=[consultation.pk]), {"summary": ""})
    assert published.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == "concluded"
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert reverse("consultations:consultation-report", args=[consultation.pk]) in detail


def test_results_are_hidden_until_published_then_public(client, world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    urls = [
        reverse("consultations:consultation-comparison", args=[consultation.pk]),
        reverse("consultations:consultation-report", args=[consultation.pk]),
    ]
    client.force_login(world["resident"])
    assert [client.get(u).status_code for u in urls] == [403, 403]
    client.force_login(world["official_here"])
    assert [client.get(u).status_code for u in urls] == [200, 200]  # the drafters' preview
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    client.logout()
    report = client.get(urls[1])
    assert report.status_code == 200
    text = report.content.decode()
    assert "车位分配另行制定办法。" in text and "已按建议补充依据。" in text
    assert client.get(urls[0]).status_code == 200
    upstream = reverse("consultations:consultation-upstream", args=[consultation.pk])
    assert client.get(upstream).status_code == 404  # no legislature sent this draft


def test_the_report_reads_in_chinese(client, world, make_consultation):
    consultation, _ = answered_consultation(world, make_consultation)
    services.consultation_conclude(actor=world["official_here"], consultation=consultation)
    page = client.get(
        reverse("consultations:consultation-report", args=[consultation.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    text = page.content.decode()
    assert "意见采纳情况" in text and "未采纳" in text and "Adopted" not in text


def test_revising_a_unit_and_adding_one_are_separate_forms_on_the_final_page(client, world, make_consultation):
    """Both forms name their adopted opinions: the ids of their checkboxes (and the labels that tick them)
    must not collide, and a unit added after another still names its cause."""
    import re

    consultation, opinions = answered_consultation(world, make_consultation)
    client.force_login(world["official_here"])
    client.post(reverse("consultations:final-start", args=[consultation.pk]))
    unit = final_unit(consultation, "art1-p1")
    page = client.get(reverse("consultations:final-text", args=[consultation.pk]) + f"?unit={unit.pk}").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    added = client.post(
        reverse("consultations:final-add", args=[consultation.pk]),
        {
            "after": unit.pk,
            "add-kind": "paragraph",
            "add-text": "业主委员会应当公布规约的执行情况。",
            "add-opinions": [opinions["wording"].pk],
        },
    )
    assert added.status_code == 302
    new = TextUnit.objects.get(version__consultation=consultation, version__kind="final", text__startswith="业主委员会")
    assert list(new.changed_by.all()) == [opinions["wording"]]
    assert new.position == unit.position + 1


def test_an_opinion_on_an_article_may_be_named_for_the_change_of_its_paragraph(client, world, make_consultation):
    """The page's "comment" link is on the article: its opinion proposes the wording of the paragraph, so
    revising that paragraph in the final text offers it as the cause; an opinion elsewhere is not offered."""
    consultation = make_consultation()
    on_article = services.opinion_submit(
        author=world["resident"],
        consultation=consultation,
        unit="art3",
        text="写明通过的机构。",
        wording="本规约自业主大会通过之日起生效。",
    )
    elsewhere = services.opinion_submit(author=world["resident"], consultation=consultation, unit="art1", text="好。")
    close(consultation)
    for opinion in (on_article, elsewhere):
        services.opinion_answer(
            actor=world["official_here"], opinion=opinion, classification="adopted", reason="采纳。"
        )
    services.consultation_finish_answering(actor=world["official_here"], consultation=consultation)
    client.force_login(world["official_here"])
    client.post(reverse("consultations:final-start", args=[consultation.pk]))
    paragraph = final_unit(consultation, "art3-p1")
    edit = client.get(reverse("consultations:final-text", args=[consultation.pk]) + f"?unit={paragraph.pk}")
    assert f'name="opinions" value="{on_article.pk}"' in edit.content.decode()
    assert f'name="opinions" value="{elsewhere.pk}"' not in edit.content.decode()
    done = client.post(
        reverse("consultations:final-unit", args=[consultation.pk, paragraph.pk]),
        {"text": "本规约自业主大会通过之日起生效。", "opinions": [on_article.pk]},
    )
    assert done.status_code == 302
    assert list(paragraph.changed_by.all()) == [on_article]
    refused = client.post(
        reverse("consultations:final-unit", args=[consultation.pk, paragraph.pk]),
        {"text": "本规约自业主大会通过之日起生效。", "opinions": [elsewhere.pk]},
    )
    assert refused.status_code == 400
