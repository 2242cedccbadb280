"""Award pages (以奖代补): the awards section of a project, an award's own page, every form behind it
(happy path and refusal: an error message and nothing written), and the officials' funding desk."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from civic.models import PagePart
from funding import services
from funding.models import (
    AwardObjection,
    AwardStatus,
    EntryKind,
    LedgerEntry,
    Milestone,
    ObjectionStatus,
    SubsidyAward,
)
from funding.templatetags.awards import step_sentence
from funding.views.awards import award_context
from proposals.models import Proposal, ProposalState

from ..conftest import end_notice, end_rating, plan, shift
from ..services.test_awards import _through_acceptance, approved_provisional

pytestmark = pytest.mark.django_db


# --- the sentences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "figures", "stage", "sentence"),
    [
        (
            "share",
            {"base": "120000.00", "share": "0.3000", "amount": "36000.00"},
            "provisional",
            "Approved budget ¥120,000.00 × subsidy share 30% = ¥36,000.00",
        ),
        (
            "share",
            {"base": "118000.00", "share": "0.30", "amount": "35400.00"},
            "settlement",
            "Verified cost ¥118,000.00 × subsidy share 30% = ¥35,400.00",
        ),
        (
            "project_cap",
            {"cap": "100000.00", "amount": "100000.00"},
            "provisional",
            "Above the cap per project, so the cap of ¥100,000.00 counts",
        ),
        (
            "area_year_cap",
            {"cap": "250000.00", "used": "199800.00", "amount": "50200.00"},
            "provisional",
            "Of this year's area cap of ¥250,000.00, ¥199,800.00 is already used: only ¥50,200.00 is left",
        ),
        (
            "min_self_funded_share",
            {"value": "0.04237288135593220338983050847", "minimum": "0.1000"},
            "settlement",
            "Residents' self-funded share 4.2% is below the minimum of 10%: the award is zero",
        ),
        (
            "min_acceptance_score",
            {"value": "72.50", "minimum": "80.00"},
            "settlement",
            "Acceptance score 72.5 is below the minimum of 80: the award is zero",
        ),
        (
            "min_satisfaction_rate",
            {"value": "0.6000", "minimum": "0.8000"},
            "settlement",
            "Residents' satisfaction rate 60% is below the minimum of 80%: the award is zero",
        ),
        (
            "settlement",
            {"award": "35400.00", "paid": "28800.00", "payout": "6600.00", "recovery": "0.00"},
            "settlement",
            "Award ¥35,400.00; advances paid ¥28,800.00, so the settlement pays ¥6,600.00",
        ),
        (
            "settlement",
            {"award": "0.00", "paid": "28800.00", "payout": "0.00", "recovery": "28800.00"},
            "settlement",
            "Award ¥0.00; advances paid ¥28,800.00, so ¥28,800.00 is to be recovered",
        ),
        (
            "settlement",
            {"award": "28800.00", "paid": "28800.00", "payout": "0.00", "recovery": "0.00"},
            "settlement",
            "Award ¥28,800.00; advances paid ¥28,800.00: nothing more to pay or recover",
        ),
        (
            "advance",
            {"share": "0.5", "entitled": "18000.00", "paid": "10800.00", "due": "7200.00"},
            "provisional",
            "50% of the provisional award is ¥18,000.00; ¥10,800.00 already paid, so ¥7,200.00 is due",
        ),
    ],
)
def test_each_step_reads_as_a_sentence_with_its_figures(code, figures, stage, sentence):
    with translation.override("en"):
        assert step_sentence(code, figures, stage) == sentence


def test_an_unknown_step_still_shows_its_figures():
    with translation.override("en"):
        assert step_sentence("mystery", {"x": "1"}) == "mystery: x 1"


# --- helpers ---------------------------------------------------------------------------------------------


def client_as(client, person):
    client.cookies["lang"] = "en"
    if getattr(person, "is_authenticated", False):
        client.force_login(person)
    return client


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def page(award):
    return f"/awards/{award.pk}/"


def provisional(w, project):
    return services.award_compute(actor=w["official_here"], project=project, stage="provisional")


def other_project(w, area="C1", **changes):
    return services.project_create(
        actor=w["official_here"] if area == "C1" else w["official_elsewhere"],
        area=w[area],
        implementer=w.organisation,
        **plan(**changes),
    )


# --- the award page and the project section ------------------------------------------------------------


def test_the_award_page_explains_the_award_in_words_and_links_to_the_project(client, fworld, project):
    award = provisional(fworld, project)
    response = client_as(client, fworld["visitor"]).get(page(award))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Approved budget ¥120,000.00 × subsidy share 30% = ¥36,000.00" in html
    assert "Under public notice until" in html
    assert f'href="/projects/{project.pk}/#awards"' in html
    assert "Sign in to file an objection." in html
    assert "award-approve" not in html and f"/awards/{award.pk}/approve/" not in html


def test_the_project_section_lists_awards_newest_first_with_their_status_and_payments(fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    services.project_start(actor=w["representative"], project=project)
    services.advance_pay(actor=w["official_here"], award=award, condition="start")
    request = RequestFactory().get(f"/projects/{project.pk}/")
    request.user = w["official_here"]
    with translation.override("en"):
        context = award_context(request, project)
        html = render_to_string("funding/awards/_project_awards.html", context, request=request)
    assert set(context) >= {
        "awards",
        "award_payments",
        "award_balances",
        "award_can_act",
        "award_compute_stages",
        "award_can_object",
        "award_next",
    }
    assert [a.pk for a in context["awards"]] == [award.pk]
    assert [e.kind for e in context["award_payments"]] == [EntryKind.ADVANCE, EntryKind.AWARD]
    assert context["award_balances"]["paid"] == Decimal("10800.00")
    assert 'id="awards"' in html and "Approved on" in html and "official_here" in html
    assert "¥10,800.00" in html and "Reverse this line" in html
    assert context["award_compute_stages"] == []  # provisional approved, settlement not yet possible
    request.user = w["resident"]
    context = award_context(request, project)
    html = render_to_string("funding/awards/_project_awards.html", context, request=request)
    assert not context["award_can_act"] and "Reverse this line" not in html and "Pay the advance" not in html


def test_the_awards_section_reads_in_a_fixed_number_of_queries(fworld, project):
    w = fworld
    award = provisional(w, project)

    def count():
        fresh = type(project).objects.get(pk=project.pk)
        request = RequestFactory().get("/")  # a request of its own: what a request keeps is not carried over
        request.user = type(w["official_here"]).objects.get(pk=w["official_here"].pk)
        PagePart.objects.all().delete()  # the header's kept values: computed in both readings alike
        with CaptureQueriesContext(connection) as queries:
            context = award_context(request, fresh)
            render_to_string("funding/awards/_project_awards.html", context, request=request)
        return len(queries)

    services.objection_file(user=w["resident"], award=award, text="一")
    one = count()
    services.objection_file(user=w["member"], award=award, text="二")
    services.objection_file(user=w["representative"], award=award, text="三")
    for objection in AwardObjection.objects.filter(award=award):
        services.objection_answer(actor=w["official_here"], objection=objection, upheld=False, answer="维持")
    assert count() == one
    assert one <= 12


# --- compute -----------------------------------------------------------------------------------------------


def test_an_official_computes_the_provisional_award_from_the_project_section(client, fworld, project):
    response = client_as(client, fworld["official_here"]).post(
        f"/projects/{project.pk}/awards/compute/", {"stage": "provisional"}
    )
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/#awards"
    award = SubsidyAward.objects.get(project=project)
    assert award.amount == Decimal("36000.00") and award.status == AwardStatus.NOTICE
    assert any("¥36,000.00" in m for m in texts(response))
    again = client.post(f"/projects/{project.pk}/awards/compute/", {"stage": "provisional"})
    assert again.status_code == 302
    assert any("already has this award" in m for m in texts(again))
    assert SubsidyAward.objects.filter(project=project).count() == 1


def test_a_resident_cannot_compute_an_award(client, fworld, project):
    response = client_as(client, fworld["resident"]).post(
        f"/projects/{project.pk}/awards/compute/", {"stage": "provisional"}
    )
    assert response.status_code == 403
    assert not SubsidyAward.objects.filter(project=project).exists()


# --- approve ------------------------------------------------------------------------------------------------


def test_approving_during_the_notice_period_is_refused_with_a_message_and_writes_nothing(client, fworld, project):
    award = provisional(fworld, project)
    client_as(client, fworld["official_here"])
    html = client.get(page(award)).content.decode()
    assert f"/awards/{award.pk}/approve/" not in html and "Can be approved after the public notice ends" in html
    response = client.post(f"/awards/{award.pk}/approve/", {"next": page(award)}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == page(award)
    assert "The public notice runs until" in response.content.decode()
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE
    assert not LedgerEntry.objects.filter(project=project).exclude(kind=EntryKind.COMMITMENT).exists()


def test_an_official_approves_after_the_notice_and_a_resident_cannot(client, fworld, project):
    award = provisional(fworld, project)
    end_notice(award)
    client_as(client, fworld["resident"])
    assert f"/awards/{award.pk}/approve/" not in client.get(page(award)).content.decode()
    assert client.post(f"/awards/{award.pk}/approve/").status_code == 403
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE
    client.logout()
    client_as(client, fworld["official_here"])
    assert f"/awards/{award.pk}/approve/" in client.get(page(award)).content.decode()
    response = client.post(f"/awards/{award.pk}/approve/")
    assert response.status_code == 302 and response.url == f"/projects/{project.pk}/#awards"
    assert any("is approved" in m for m in texts(response))
    award.refresh_from_db()
    assert award.status == AwardStatus.APPROVED
    assert LedgerEntry.objects.get(project=project, kind=EntryKind.AWARD).amount == Decimal("36000.00")
    assert "Approved on" in client.get(page(award)).content.decode()


def test_the_official_of_another_district_cannot_approve(client, fworld, project):
    award = provisional(fworld, project)
    end_notice(award)
    assert client_as(client, fworld["official_elsewhere"]).post(f"/awards/{award.pk}/approve/").status_code == 403
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE


def test_a_get_or_an_anonymous_post_changes_nothing(client, fworld, project):
    award = provisional(fworld, project)
    end_notice(award)
    assert client_as(client, fworld["official_here"]).get(f"/awards/{award.pk}/approve/").status_code == 405
    client.logout()
    response = client.post(f"/awards/{award.pk}/approve/")
    assert response.status_code == 302 and "login" in response.url
    assert client.get("/awards/999999/").status_code == 404
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE


# --- objections -------------------------------------------------------------------------------------------


def test_an_objection_is_filed_and_answered_through_the_pages(client, fworld, project):
    w = fworld
    award = provisional(w, project)
    client_as(client, w["resident"])
    assert "File an objection" in client.get(page(award)).content.decode()
    empty = client.post(f"/awards/{award.pk}/objections/", {"text": "  ", "next": page(award)}, follow=True)
    assert "Say what is wrong with this award." in empty.content.decode()
    assert not AwardObjection.objects.exists()
    response = client.post(
        f"/awards/{award.pk}/objections/", {"text": "线路检修 4 万元明显偏高", "next": page(award)}, follow=True
    )
    html = response.content.decode()
    objection = AwardObjection.objects.get()
    assert objection.author == w["resident"] and objection.status == ObjectionStatus.OPEN
    assert "Your objection is filed" in html and "线路检修 4 万元明显偏高" in html
    assert "Answer due by" in html and "Your objection is waiting for its answer." in html
    assert "Answer the objection" not in html  # residents do not answer
    assert (
        client.post(f"/awards/objections/{objection.pk}/answer/", {"upheld": "rejected", "answer": "x"}).status_code
        == 403
    )
    client.logout()

    client_as(client, w["official_here"])
    assert "Answer the objection" in client.get(page(award)).content.decode()
    no_outcome = client.post(f"/awards/objections/{objection.pk}/answer/", {"answer": "已核实"}, follow=True)
    assert "Choose whether the objection is upheld or rejected." in no_outcome.content.decode()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN
    response = client.post(
        f"/awards/objections/{objection.pk}/answer/",
        {"upheld": "rejected", "answer": "已按市场价核定。", "corrected_base": "1", "next": page(award)},
        follow=True,
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED and objection.answer == "已按市场价核定。"
    html = response.content.decode()
    assert "已按市场价核定。" in html and "Rejected" in html
    award.refresh_from_db()
    assert award.status == AwardStatus.NOTICE and award.amount == Decimal("36000.00")


def test_an_upheld_objection_with_a_corrected_figure_recomputes_and_a_bad_figure_writes_nothing(
    client, fworld, project
):
    w = fworld
    award = provisional(w, project)
    objection = services.objection_file(user=w["resident"], award=award, text="偏高")
    client_as(client, w["official_here"])
    url = f"/awards/objections/{objection.pk}/answer/"
    bad = client.post(
        url, {"upheld": "upheld", "answer": "核减", "corrected_base": "-1", "next": page(award)}, follow=True
    )
    assert "An amount cannot be negative." in bad.content.decode()
    objection.refresh_from_db()
    award.refresh_from_db()
    assert objection.status == ObjectionStatus.OPEN and award.status == AwardStatus.NOTICE
    response = client.post(url, {"upheld": "upheld", "answer": "线路检修按 2 万元计", "corrected_base": "100000"})
    assert response.status_code == 302 and any("upheld" in m for m in texts(response))
    award.refresh_from_db()
    assert award.status == AwardStatus.SUPERSEDED
    fresh = SubsidyAward.objects.get(project=project, status=AwardStatus.NOTICE)
    assert fresh.amount == Decimal("30000.00")


def test_objections_close_with_their_window(client, fworld, project):
    award = provisional(fworld, project)
    end_notice(award)
    client_as(client, fworld["resident"])
    assert "File an objection" not in client.get(page(award)).content.decode()
    response = client.post(f"/awards/{award.pk}/objections/", {"text": "晚了", "next": page(award)}, follow=True)
    assert "Objections to this award are closed." in response.content.decode()
    assert not AwardObjection.objects.exists()


# --- recompute / cancel -------------------------------------------------------------------------------------


def test_recompute_and_cancel_need_a_reason(client, fworld, project):
    award = provisional(fworld, project)
    client_as(client, fworld["official_here"])
    url = f"/awards/{award.pk}/recompute/"
    response = client.post(url, {"reason": "", "cancel": "0", "next": page(award)}, follow=True)
    assert "Say why the award is recomputed." in response.content.decode()
    assert SubsidyAward.objects.filter(project=project).count() == 1
    client.post(url, {"reason": "预算调整", "cancel": "0"})
    award.refresh_from_db()
    assert award.status == AwardStatus.SUPERSEDED
    fresh = SubsidyAward.objects.get(project=project, status=AwardStatus.NOTICE)
    response = client.post(f"/awards/{fresh.pk}/recompute/", {"reason": "项目取消补助", "cancel": "1"})
    assert any("cancelled" in m for m in texts(response))
    fresh.refresh_from_db()
    assert fresh.status == AwardStatus.CANCELLED and fresh.status_reason == "项目取消补助"
    html = client.get(page(fresh)).content.decode()
    assert "项目取消补助" in html and "Cancelled" in html
    assert client_as(client, fworld["resident"]).post(url, {"reason": "x"}).status_code == 403


# --- payments ----------------------------------------------------------------------------------------------


def test_an_advance_is_paid_at_a_condition_reached_and_refused_before(client, fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    client_as(client, w["official_here"])
    url = f"/awards/{award.pk}/advance/"
    response = client.post(url, {"condition": "start", "next": page(award)}, follow=True)
    assert "is paid once that point is reached" in response.content.decode()
    assert not LedgerEntry.objects.filter(kind=EntryKind.ADVANCE).exists()
    services.project_start(actor=w["representative"], project=project)
    html = client.get(page(award)).content.decode()
    assert "Pay the advance" in html and "¥10,800.00" in html
    response = client.post(url, {"condition": "start"})
    assert any("¥10,800.00" in m for m in texts(response))
    assert LedgerEntry.objects.get(kind=EntryKind.ADVANCE).amount == Decimal("10800.00")
    again = client.post(url, {"condition": "start"})
    assert any("already been paid" in m for m in texts(again))
    assert LedgerEntry.objects.filter(kind=EntryKind.ADVANCE).count() == 1
    assert "Pay the advance" not in client.get(page(award)).content.decode()
    assert client_as(client, w["representative"]).post(url, {"condition": "start"}).status_code == 403


def test_the_settlement_is_paid_once(client, fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project)
    services.advance_pay(actor=w["official_here"], award=award, condition="completion")
    end_rating(project)
    client_as(client, w["official_here"])
    response = client.post(f"/projects/{project.pk}/awards/compute/", {"stage": "settlement"})
    assert response.status_code == 302
    settlement = SubsidyAward.objects.get(project=project, stage="settlement")
    html = client.get(page(settlement)).content.decode()
    assert "Verified cost ¥118,000.00 × subsidy share 30% = ¥35,400.00" in html
    assert "Award ¥35,400.00; advances paid ¥28,800.00, so the settlement pays ¥6,600.00" in html
    end_notice(settlement)
    services.award_approve(actor=w["official_here"], award=settlement)
    assert "Pay the settlement of ¥6,600.00" in client.get(page(settlement)).content.decode()
    response = client.post(f"/awards/{settlement.pk}/settlement/")
    assert any("¥6,600.00" in m for m in texts(response))
    again = client.post(f"/awards/{settlement.pk}/settlement/")
    assert any("already been paid" in m for m in texts(again))
    assert LedgerEntry.objects.get(kind=EntryKind.SETTLEMENT).amount == Decimal("6600.00")


def test_no_advance_is_offered_once_the_settlement_is_computed(client, fworld, project):
    """The settlement's payout counts the advances paid when it was computed: from then on neither the
    project page, nor the provisional award's own page, nor the desk offers an advance."""
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project)
    services.advance_pay(actor=w["official_here"], award=award, condition="start")
    client_as(client, w["official_here"])
    end_rating(project)

    def offered_anywhere():
        pages = [client.get(url).content.decode() for url in (page(award), f"/projects/{project.pk}/")]
        desk = client.get("/funding/desk/").content.decode()
        return any(f"/awards/{award.pk}/advance/" in html for html in pages) or f"#award-{award.pk}" in desk

    assert offered_anywhere()
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    assert not offered_anywhere()  # under notice
    end_notice(settlement)
    services.award_approve(actor=w["official_here"], award=settlement)
    assert not offered_anywhere()  # approved
    response = client.post(f"/awards/{award.pk}/advance/", {"condition": "completion"})
    assert any("no more advances" in m for m in texts(response))
    assert LedgerEntry.objects.filter(kind=EntryKind.ADVANCE).count() == 1


def test_the_settlement_is_offered_only_once_the_provisional_award_is_decided(fworld, project):
    w = fworld
    pending = provisional(w, project)
    _through_acceptance(w, project)
    end_rating(project)
    request = RequestFactory().get("/")
    request.user = w["official_here"]

    def offered():
        fresh = type(project).objects.get(pk=project.pk)
        return [choice["stage"] for choice in award_context(request, fresh)["award_compute_stages"]]

    assert offered() == []  # the provisional award under notice comes first
    services.award_recompute(actor=w["official_here"], award=pending, reason="改为直接结算", cancel=True)
    assert offered() == ["provisional", "settlement"]


def test_a_settlement_below_the_minimum_explains_why_and_the_recovery_is_recorded(client, fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    _through_acceptance(w, project, residents="5000", levels=(5, 4))
    services.advance_pay(actor=w["official_here"], award=award, condition="completion")
    end_rating(project)
    settlement = services.award_compute(actor=w["official_here"], project=project, stage="settlement")
    end_notice(settlement)
    services.award_approve(actor=w["official_here"], award=settlement)
    client_as(client, w["official_here"])
    html = client.get(page(settlement)).content.decode()
    assert "Residents&#x27; self-funded share 4.2% is below the minimum of 10%: the award is zero" in html
    assert "so ¥28,800.00 is to be recovered" in html and "Record the recovery" in html
    url = f"/awards/{settlement.pk}/recovery/"
    too_much = client.post(url, {"amount": "28800.01", "reference": "退款凭证 7"})
    assert any("Only ¥28,800.00 is owed back." in m for m in texts(too_much))
    assert not LedgerEntry.objects.filter(kind=EntryKind.RECOVERY).exists()
    response = client.post(url, {"amount": "28800", "reference": "退款凭证 7"})
    assert any("¥28,800.00" in m for m in texts(response))
    entry = LedgerEntry.objects.get(kind=EntryKind.RECOVERY)
    assert entry.amount == Decimal("28800.00") and entry.memo == "退款凭证 7"
    assert "Record the recovery" not in client.get(page(settlement)).content.decode()


def test_a_ledger_line_is_reversed_once_with_a_reason(client, fworld, project):
    w = fworld
    award = approved_provisional(w, project)
    services.project_start(actor=w["representative"], project=project)
    entry = services.advance_pay(actor=w["official_here"], award=award, condition="start")
    url = f"/ledger/{entry.pk}/reverse/"
    assert client_as(client, w["resident"]).post(url, {"reason": "打错账户"}).status_code == 403
    client.logout()
    client_as(client, w["official_here"])
    no_reason = client.post(url, {"reason": ""})
    assert any("Say why the entry is reversed." in m for m in texts(no_reason))
    assert not LedgerEntry.objects.filter(reverses=entry).exists()
    response = client.post(url, {"reason": "打错账户", "next": page(award)}, follow=True)
    html = response.content.decode()
    reversal = LedgerEntry.objects.get(reverses=entry)
    assert reversal.amount == Decimal("-10800.00")
    assert f"reverses no. {entry.pk}: 打错账户" in html and "reversed" in html
    again = client.post(url, {"reason": "再冲一次"})
    assert any("already been reversed" in m for m in texts(again))
    assert LedgerEntry.objects.filter(kind=EntryKind.ADVANCE).count() == 2


def test_a_next_address_elsewhere_is_ignored(client, fworld, project):
    award = provisional(fworld, project)
    response = client_as(client, fworld["official_here"]).post(
        f"/awards/{award.pk}/approve/", {"next": "https://evil.example/awards/1/"}
    )
    assert response.url == f"/projects/{project.pk}/#awards"


# --- the desk ------------------------------------------------------------------------------------------------


def desk_items(w, adopted_project, suffix=""):
    """One of each thing the desk lists, in D1; returns their titles."""
    ready = provisional(w, adopted_project) if not suffix else provisional(w, other_project(w, title=f"待批{suffix}"))
    end_notice(ready)
    objected = other_project(w, title=f"有异议{suffix}")
    award = provisional(w, objected)
    objection = services.objection_file(user=w["resident"], award=award, text=f"异议{suffix}")
    AwardObjection.objects.filter(pk=objection.pk).update(answer_due=timezone.localdate() - timedelta(days=2))
    payable = other_project(w, title=f"可预拨{suffix}")
    approved_provisional(w, payable)
    services.project_start(actor=w["representative"], project=payable)
    late = Milestone.objects.filter(project=payable).first()
    shift(Milestone, late.pk, due_on=timedelta(days=60))
    done = other_project(w, title=f"待验收{suffix}")
    services.project_start(actor=w["representative"], project=done)
    services.project_report_completion(actor=w["representative"], project=done, report="完工")
    return {"ready": ready, "objection": objection, "payable": payable, "done": done, "late": late}


def test_the_desk_lists_what_waits_in_the_officials_areas_only(client, fworld, project, make_proposal):
    w = fworld
    orphan = make_proposal(title="无项目的建议")
    Proposal.objects.filter(pk=orphan.pk).update(state=ProposalState.ADOPTED)
    items = desk_items(w, project)
    html = client_as(client, w["official_here"]).get("/funding/desk/").content.decode()
    assert f"/awards/{items['ready'].pk}/" in html
    assert f"#objection-{items['objection'].pk}" in html and "overdue since" in html
    assert "可预拨" in html and "¥10,800.00" in html
    assert "待验收" in html and items["late"].title in html
    assert f"/proposals/{orphan.pk}/" in html
    client.logout()
    html = client_as(client, w["official_elsewhere"]).get("/funding/desk/").content.decode()
    for text in ("可预拨", "待验收", "有异议", items["late"].title, project.title, "无项目的建议"):
        assert text not in html
    assert "No award waits for approval." in html and "No objection waits for an answer." in html


def test_the_desk_is_for_officials(client, fworld):
    assert client_as(client, fworld["resident"]).get("/funding/desk/").status_code == 403
    client.logout()
    response = client.get("/funding/desk/")
    assert response.status_code == 302 and "login" in response.url
    client_as(client, fworld["official_here"])
    home = client.get("/").content.decode()
    assert 'href="/funding/desk/"' in home


def test_the_desk_reads_in_a_fixed_number_of_queries(client, fworld, project):
    w = fworld
    desk_items(w, project)
    client_as(client, w["official_here"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/funding/desk/").status_code == 200
        return len(queries)

    one = count()
    desk_items(w, project, suffix="二")
    desk_items(w, project, suffix="三")
    assert count() == one


def test_the_project_page_includes_the_awards_section(client, fworld, project):
    award = provisional(fworld, project)
    services.objection_file(user=fworld["resident"], award=award, text="偏高")
    response = client_as(client, fworld["official_here"]).get(f"/projects/{project.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="awards"' in html and f'href="/awards/{award.pk}/"' in html
    assert "Approved budget ¥120,000.00 × subsidy share 30% = ¥36,000.00" in html
    assert "Answer the objection" in html and "Answer every objection before approving or recomputing." in html
    assert f"/awards/{award.pk}/approve/" not in html and f"/awards/{award.pk}/recompute/" not in html
