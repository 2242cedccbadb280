"""Outcome notice pages and Atom feed."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civic import pagecache, selectors
from civic.models import OutcomeNotice
from tests.civic.notices import at, make_answer, make_policy, notice_at, one_of_each, publish

ATOM = "{http://www.w3.org/2005/Atom}"


def form(**changes):
    data = {
        "kind": "other",
        "title": "三月议事会决定公告",
        "body": "经议事会表决，同意更换 3 栋楼道灯。",
        "decided_at": (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "source_url": "",
        "source_key": "",
        "corrects": "",
    }
    data.update(changes)
    return data


# --- the public list and a notice -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_sees_the_notices_of_an_area_with_dates_days_taken_and_the_feed_link(client, world):
    make_policy(world, answer_days=5)
    old = notice_at(world, at(2024, 3, 4), at(2024, 3, 7), title="楼道灯答复")
    OutcomeNotice.objects.create(
        area=world["C1"],
        area_path=world["C1"].path,
        kind="other",
        title="更正：楼道灯答复",
        body="更正后的正文",
        decided_at=at(2024, 3, 4),
        published_at=at(2024, 3, 13),
        published_by=world["official_here"],
        corrects=old,
        source_url="/proposals/1/",
    )
    notice_at(world, at(2024, 3, 4), at(2024, 3, 7), area="C2", title="别处的公告")
    page = client.get("/areas/7701/notices/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "楼道灯答复" in html and "更正：楼道灯答复" in html and "别处的公告" not in html
    assert "2024-03-04" in html and "2024-03-07" in html and "2024-03-13" in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and "/areas/7701/notices/feed.atom" in html
    assert 'class="badge badge-ok"' in html and 'class="badge badge-late"' in html  # 3 days on time, 7 late
    assert f'href="/notices/{old.pk}/"' in html and 'href="/proposals/1/"' in html
    # nobody but officials sees the waiting decisions or the form
    assert 'id="waiting"' not in html and "/areas/7701/notices/new/" not in html


@pytest.mark.django_db
def test_the_list_filters_by_kind_and_pages(client, world):
    for i in range(25):
        notice_at(world, at(2024, 3, 4), at(2024, 3, 5) + timedelta(minutes=i), title=f"公告{i:02d}")
    publish(world, kind="other", title="不同类别")
    first = client.get("/areas/7701001001/notices/").content.decode()
    assert "不同类别" in first and "公告24" in first and "公告05" not in first
    second = client.get("/areas/7701001001/notices/?page=2").content.decode()
    assert "公告05" in second and "公告24" not in second
    only_answers = client.get("/areas/7701001001/notices/?kind=answer").content.decode()
    assert "公告24" not in only_answers and "不同类别" not in only_answers
    assert client.get("/areas/unknown/notices/").status_code == 404


@pytest.mark.django_db
def test_the_list_page_costs_the_same_queries_whatever_the_number_of_notices(
    client, world, django_assert_max_num_queries
):
    client.force_login(world["official_here"])
    policy = make_policy(world)
    one_of_each(world, policy)
    notice_at(world, at(2024, 3, 4), at(2024, 3, 5))
    client.get("/areas/7701/notices/")  # warms the calendar and the session
    # Both readings below render the board (the writes in between change it): a rendering against a rendering.
    pagecache.bump("notices:7701")
    with CaptureQueriesContext(connection) as few:
        client.get("/areas/7701/notices/")
    for i in range(15):
        old = notice_at(world, at(2024, 3, 4), at(2024, 3, 6), title=f"旧{i}")
        OutcomeNotice.objects.create(
            area=old.area,
            area_path=old.area_path,
            kind="other",
            title=f"更正{i}",
            body="正文",
            decided_at=old.decided_at,
            published_at=at(2024, 3, 7),
            published_by=world["official_here"],
            corrects=old,
        )
    for _i in range(3):
        one_of_each(world, policy, area="c1b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/areas/7701/notices/")
    assert page.status_code == 200


@pytest.mark.django_db
def test_a_notice_page_shows_what_it_corrects_and_the_old_one_shows_corrected_by(client, world):
    first = publish(world, title="原公告")
    second = publish(world, title="更正公告", corrects=first)
    old_page = client.get(f"/notices/{first.pk}/").content.decode()
    assert "原公告" in old_page and f'href="/notices/{second.pk}/"' in old_page and "更正公告" in old_page
    new_page = client.get(f"/notices/{second.pk}/").content.decode()
    assert f'href="/notices/{first.pk}/"' in new_page and "经议事会表决" in new_page
    assert client.get("/notices/999999/").status_code == 404


@pytest.mark.django_db
def test_officials_see_a_correction_link_only_while_the_notice_is_uncorrected(client, world):
    first = publish(world, title="原公告")
    client.force_login(world["official_here"])
    assert f"/areas/7701001001/notices/new/?corrects={first.pk}" in client.get(f"/notices/{first.pk}/").content.decode()
    publish(world, title="更正公告", corrects=first)
    assert "?corrects=" not in client.get(f"/notices/{first.pk}/").content.decode()
    client.force_login(world["resident"])
    assert "?corrects=" not in client.get(f"/notices/{first.pk}/").content.decode()


# --- the feed ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_atom_feed_lists_the_area_notices_newest_first(client, world):
    notice_at(world, at(2024, 3, 4), at(2024, 3, 5), area="C1", title="社区公告")
    newest = publish(world, area="D1", title="区级公告", body="第一行\n<b>第二行</b>")
    notice_at(world, at(2024, 3, 4), at(2024, 3, 6), area="C2", title="别处公告")
    response = client.get("/areas/7701/notices/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert "一区" in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert [re.sub(r"^\[[^]]*\] ", "", e.find(f"{ATOM}title").text) for e in entries] == ["区级公告", "社区公告"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href").endswith(f"/notices/{newest.pk}/")
    summary = first.find(f"{ATOM}summary").text
    assert "&lt;b&gt;第二行&lt;/b&gt;" in summary and "<b>" not in summary  # the text is escaped, not HTML
    assert client.get("/areas/nowhere/notices/feed.atom").status_code == 404


# --- the publishing form ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_officials_see_the_waiting_decisions_with_overdue_ones_flagged(client, world):
    make_policy(world)
    late = make_answer(world, when=at(2024, 3, 4))
    fresh = make_answer(world, when=timezone.now() - timedelta(minutes=5))
    client.force_login(world["official_here"])
    html = client.get("/areas/7701/notices/").content.decode()
    assert 'id="waiting"' in html
    rows = {key: html.split(f"source_key=answer%3A{key}")[0].rsplit("<tr", 1)[1] for key in (late.pk, fresh.pk)}
    assert 'class="overdue"' in rows[late.pk] and "badge-late" in rows[late.pk]
    assert 'class="overdue"' not in rows[fresh.pk] and "badge-wait" in rows[fresh.pk]
    assert f"/areas/{world['C1'].code}/notices/new/?source_key=answer%3A{late.pk}" in html


@pytest.mark.django_db
def test_the_form_opened_from_a_decision_is_prefilled_and_publishing_clears_it(client, world):
    answer = make_answer(world, when=at(2024, 3, 4))
    client.force_login(world["official_here"])
    url = f"/areas/7701001001/notices/new/?source_key=answer:{answer.pk}"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="answer:{answer.pk}"' in html and 'value="2024-03-04T10:00"' in html
    assert "测试建议" in html and "同意提交议事会审议。" in html
    assert f'value="/proposals/{answer.proposal_id}/"' in html
    response = client.post(
        url,
        form(
            kind="answer",
            title="关于测试建议的答复",
            body="同意提交议事会审议。",
            decided_at="2024-03-04T10:00",
            source_key=f"answer:{answer.pk}",
        ),
    )
    notice = OutcomeNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    assert notice.source_key == f"answer:{answer.pk}" and notice.decided_at == at(2024, 3, 4)
    assert selectors.unpublished_decisions(world["C1"]) == []


@pytest.mark.django_db
def test_the_form_shows_a_broken_rule_next_to_its_field_and_writes_nothing(client, world):
    client.force_login(world["official_here"])
    response = client.post("/areas/7701/notices/new/", form(source_url="https://example.com/"))
    assert response.status_code == 200
    assert 'class="field has-error"' in response.content.decode()
    assert not OutcomeNotice.objects.exists()


@pytest.mark.django_db
def test_a_decision_dated_in_year_one_is_refused_next_to_its_field(client, world):
    """Was a 500: the local time of year 1 does not fit the database once turned into UTC."""
    client.force_login(world["official_here"])
    response = client.post("/areas/7701/notices/new/", form(decided_at="0001-01-01T00:00"))
    assert response.status_code == 200
    assert re.search(r'class="field has-error"[^>]*>\s*<label for="id_decided_at"', response.content.decode())
    assert not OutcomeNotice.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("corrects", ["²", "abc", "-1", str(10**30)])
def test_a_notice_to_correct_that_is_no_number_leaves_the_form_empty(client, world, corrects):
    """A "²" passes str.isdigit() but not int(): it was a 500."""
    publish(world, area="C1", title="原公告")
    client.force_login(world["official_here"])
    page = client.get(f"/areas/7701001001/notices/new/?corrects={corrects}")
    assert page.status_code == 200 and 'name="corrects"' in page.content.decode()
    assert "原公告" not in page.content.decode()
    response = client.post("/areas/7701001001/notices/new/", form(title="更正公告", corrects=corrects))
    assert response.status_code == 200
    assert OutcomeNotice.objects.count() == 1


@pytest.mark.django_db
def test_a_correction_from_the_form_names_the_old_notice(client, world):
    first = publish(world, area="C1", title="原公告")
    client.force_login(world["official_here"])
    page = client.get(f"/areas/7701001001/notices/new/?corrects={first.pk}").content.decode()
    assert f'name="corrects" value="{first.pk}"' in page
    response = client.post(
        f"/areas/7701001001/notices/new/?corrects={first.pk}", form(title="更正公告", corrects=str(first.pk))
    )
    assert response.status_code == 302
    assert OutcomeNotice.objects.get(title="更正公告").corrects == first


@pytest.mark.django_db
@pytest.mark.parametrize("who,status", [("resident", 403), ("official_elsewhere", 403), ("organiser_here", 403)])
def test_others_cannot_open_or_post_the_form(client, world, who, status):
    client.force_login(world[who])
    assert client.get("/areas/7701/notices/new/").status_code == status
    assert client.post("/areas/7701/notices/new/", form()).status_code == status
    assert not OutcomeNotice.objects.exists()


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in(client, world):
    response = client.get("/areas/7701/notices/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_a_decision_already_published_is_refused_above_the_form(client, world):
    answer = make_answer(world)
    publish(world, kind="answer", source_key=f"answer:{answer.pk}")
    client.force_login(world["official_here"])
    url = f"/areas/7701001001/notices/new/?source_key=answer:{answer.pk}"
    response = client.post(url, form(kind="answer", source_key=f"answer:{answer.pk}"))
    assert response.status_code == 200
    assert 'class="message message-error" role="alert"' in response.content.decode()
    assert OutcomeNotice.objects.count() == 1


@pytest.mark.django_db
def test_a_correction_in_the_feed_names_the_notice_it_corrects(client, world):
    first = publish(world, title="原公告")
    publish(world, title="更正公告", corrects=first)
    feed = ElementTree.fromstring(client.get("/areas/7701001001/notices/feed.atom").content)
    newest = feed.findall(f"{ATOM}entry")[0]
    assert "更正公告" in newest.find(f"{ATOM}title").text and "原公告" in newest.find(f"{ATOM}summary").text
