"""The loop of docs/casework.md, arrow by arrow, through the services."""

import pytest
from django.core import mail  # noqa: F401  (the console backend is replaced by locmem in tests)

from casework import services
from casework.models import EventKind, Report, ReportEvent, ReportFollower, ReportRating
from civic.errors import Conflict, InvalidInput, NotAllowed
from civic.models import AuditEntry, Notification
from tests.casework.conftest import photo


def kinds(report):
    return list(ReportEvent.objects.filter(report=report).order_by("id").values_list("kind", flat=True))


def test_filing_takes_the_category_that_applies_in_the_cell_and_sets_the_response_limit(cw, file_report):
    report = file_report(files=[photo()], latitude="30.123456", longitude="120.654321")
    assert report.state == "submitted"
    assert report.category == cw.lamp_d1  # 一区's override, though the city defines the key too
    assert report.category_key == "lamp"
    assert report.reporter == cw["resident"] and report.channel == "online"
    assert report.response_due > report.submitted_at
    assert report.photos.count() == 1 and report.photo_count == 1
    assert report.public_position == (30.123, 120.654)
    assert kinds(report) == ["submitted"]
    # the grid worker of the cell is told
    assert Notification.objects.filter(recipient=cw["grid_worker_here"], kind="casework.new").count() == 1


def test_without_a_grid_worker_the_organisers_are_told(cw, file_report):
    file_report(cell="c1b")
    assert Notification.objects.filter(recipient=cw["organiser_here"], kind="casework.new").count() == 1
    assert not Notification.objects.filter(recipient=cw["grid_worker_here"]).exists()


def test_the_whole_loop_with_a_reopening(cw, at_state):
    report = at_state("resolved")
    assert report.state == "resolved" and report.rating_due is not None
    services.report_rate(actor=cw["resident"], report=report, level=2, comment="还是不亮")
    report.refresh_from_db()
    assert report.state == "dispatched" and report.reopen_count == 1 and report.unit == cw.unit
    assert report.rating_level == 2
    services.report_start(actor=cw["unit_member"], report=report)
    services.report_resolve(actor=cw["unit_member"], report=report, note="更换了线路", files=[photo()])
    services.report_rate(actor=cw["resident"], report=report, level=4)
    report.refresh_from_db()
    assert report.state == "closed" and report.closed_at is not None and report.rating_level == 4
    assert list(ReportRating.objects.filter(report=report).values_list("round", "level")) == [(0, 2), (1, 4)]
    assert kinds(report) == [
        "submitted",
        "accepted",
        "dispatched",
        "started",
        "resolved",
        "reopened",
        "started",
        "resolved",
        "rated",
    ]
    assert AuditEntry.objects.filter(action="casework_report.closed", object_id=str(report.pk)).count() == 1
    # the reporter was told at every step someone else took (not of their own two ratings)
    assert Notification.objects.filter(recipient=cw["resident"], kind="casework.step").count() == 6


def test_rating_twice_or_someone_elses_report_is_refused(cw, at_state):
    report = at_state("resolved")
    with pytest.raises(NotAllowed):
        services.report_rate(actor=cw["resident_elsewhere"], report=report, level=5)
    with pytest.raises(NotAllowed):
        services.report_rate(actor=cw["admin"], report=report, level=5)  # no administrator rates for a reporter
    services.report_rate(actor=cw["resident"], report=report, level=5)
    with pytest.raises(Conflict) as error:
        services.report_rate(actor=cw["resident"], report=report, level=5)
    assert error.value.code == "already_rated"


def test_a_poor_rating_needs_a_comment_and_a_valid_level(cw, at_state):
    report = at_state("resolved")
    with pytest.raises(InvalidInput) as error:
        services.report_rate(actor=cw["resident"], report=report, level=1)
    assert error.value.code == "comment_required"
    with pytest.raises(InvalidInput):
        services.report_rate(actor=cw["resident"], report=report, level=6)
    report.refresh_from_db()
    assert report.state == "resolved" and not ReportRating.objects.exists()


def test_staff_record_a_callback_rating_for_someone_without_an_account(cw, file_report):
    report = file_report(
        person="grid_worker_here", channel="phone", reporter_name="王大爷", reporter_phone="13800000000"
    )
    assert report.reporter is None and report.reporter_name == "王大爷"
    for step in (services.report_accept, services.report_dispatch):
        report = step(actor=cw["grid_worker_here"], report=report)
    services.report_start(actor=cw["unit_member"], report=report)
    services.report_resolve(actor=cw["unit_member"], report=report, note="修好了", files=[photo()])
    services.report_rate(actor=cw["grid_worker_here"], report=report, level=5, channel="callback")
    rating = ReportRating.objects.get(report=report)
    assert rating.channel == "callback" and rating.rated_by == cw["grid_worker_here"]


def test_reporting_for_someone_needs_a_name_and_a_staff_role(cw, file_report):
    with pytest.raises(InvalidInput) as error:
        file_report(person="grid_worker_here", channel="phone")
    assert error.value.field == "reporter_name"
    with pytest.raises(NotAllowed):
        file_report(person="resident", channel="phone", reporter_name="某人")
    assert not Report.objects.exists()


def test_bad_filing_input_writes_nothing(cw, file_report):
    from casework.selectors import category_in

    with pytest.raises(InvalidInput) as error:
        file_report(cell="C1")  # a community is not a grid cell
    assert error.value.code == "cell_invalid"
    with pytest.raises(InvalidInput) as error:
        file_report(files=[photo(f"{n}.jpg") for n in range(7)])
    assert error.value.code == "too_many_photos"
    with pytest.raises(InvalidInput) as error:
        file_report(files=[photo(), SimpleUploaded("notes.jpg", b"not an image at all")])
    assert error.value.code == "upload_type"
    with pytest.raises(InvalidInput) as error:
        file_report(text="x" * 2001)
    assert error.value.code == "too_long"
    with pytest.raises(InvalidInput):
        file_report(latitude="91", longitude="120")
    # withdrawn in 一区: the category is not offered there
    services.category_save(
        actor=cw["official_here"],
        area=cw["D1"],
        key="rubbish",
        name="垃圾清运",
        unit_kind="sanitation",
        response_hours=2,
        handling_days=1,
        is_offered=False,
    )
    assert category_in(cw["c1a"], "rubbish") is None
    with pytest.raises(InvalidInput) as error:
        services.report_file(actor=cw["resident"], cell=cw["c1a"], category=cw.rubbish, place="门口", text="垃圾没人收")
    assert error.value.code == "category_not_offered"
    assert not Report.objects.exists()


def SimpleUploaded(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_oversized_photo_is_refused(cw, file_report, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(InvalidInput) as error:
        file_report(files=[photo(size=(400, 400))])
    assert error.value.code == "upload_too_large"
    assert not Report.objects.exists()


def test_me_too_follows_instead_of_a_duplicate(cw, file_report):
    report = file_report()
    services.report_follow(actor=cw["resident_elsewhere"], report=report)
    report.refresh_from_db()
    assert report.follower_count == 1
    with pytest.raises(Conflict):
        services.report_follow(actor=cw["resident_elsewhere"], report=report)
    with pytest.raises(Conflict):
        services.report_follow(actor=cw["resident"], report=report)  # own report
    with pytest.raises(NotAllowed):
        services.report_follow(actor=cw["unverified"], report=report)
    services.report_accept(actor=cw["grid_worker_here"], report=report)
    assert Notification.objects.filter(recipient=cw["resident_elsewhere"], kind="casework.step").count() == 1


def test_merging_makes_the_duplicates_reporter_follow_the_survivor(cw, file_report):
    survivor = file_report()
    duplicate = file_report(person="resident_elsewhere")
    services.report_follow(actor=cw["resident"], report=duplicate)
    services.report_merge(actor=cw["grid_worker_here"], report=duplicate, into=survivor)
    duplicate.refresh_from_db()
    survivor.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.merged_into == survivor
    # the duplicate's reporter follows; the survivor's own reporter is not added as a follower of it
    assert set(ReportFollower.objects.filter(report=survivor).values_list("user", flat=True)) == {
        cw["resident_elsewhere"].pk
    }
    assert survivor.follower_count == 1
    assert kinds(survivor)[-1] == EventKind.MERGED_IN
    with pytest.raises(InvalidInput):
        services.report_merge(actor=cw["grid_worker_here"], report=survivor, into=survivor)


def test_dispatch_needs_a_unit_serving_the_cell_and_category(cw, at_state):
    report = at_state("accepted")
    with pytest.raises(InvalidInput) as error:
        services.report_dispatch(actor=cw["grid_worker_here"], report=report, unit=cw.other_unit)
    assert error.value.code == "unit_not_serving"
    report.refresh_from_db()
    assert report.state == "accepted" and report.unit is None
    services.report_dispatch(actor=cw["grid_worker_here"], report=report)  # the category's default unit
    report.refresh_from_db()
    assert report.unit == cw.unit and report.dispatcher == cw["grid_worker_here"]


def test_a_unit_returns_a_report_to_the_dispatcher(cw, at_state):
    report = at_state("in_progress")
    due = report.handling_due
    with pytest.raises(InvalidInput):
        services.report_return(actor=cw["unit_member"], report=report, reason=" ")
    services.report_return(
        actor=cw["unit_member"], report=report, reason="这是供电公司的线路", suggested_unit=cw.other_unit
    )
    report.refresh_from_db()
    assert report.state == "accepted" and report.unit is None and report.return_count == 1
    assert report.handling_due == due  # the limit keeps running
    assert Notification.objects.filter(recipient=cw["grid_worker_here"], kind="casework.returned").count() == 1


def test_resolving_needs_an_after_photo_where_the_category_asks(cw, at_state):
    report = at_state("in_progress")
    with pytest.raises(InvalidInput) as error:
        services.report_resolve(actor=cw["unit_member"], report=report, note="修好了")
    assert error.value.code == "after_photo_required"
    report.refresh_from_db()
    assert report.state == "in_progress"


def test_acting_on_a_report_you_do_not_handle_is_refused(cw, at_state):
    report = at_state("dispatched")
    for person in ("other_unit_member", "grid_worker_here", "resident"):
        with pytest.raises(NotAllowed):
            services.report_start(actor=cw[person], report=report)
    with pytest.raises(NotAllowed):
        services.report_accept(actor=cw["grid_worker_elsewhere"], report=at_state("submitted"))


def test_a_move_the_table_does_not_have_is_a_conflict(cw, at_state):
    report = at_state("submitted")
    with pytest.raises(Conflict) as error:
        services.report_dispatch(actor=cw["grid_worker_here"], report=report)
    assert error.value.code == "transition_not_allowed"


def test_reject_withdraw_refer_are_final_and_say_why(cw, at_state):
    rejected = at_state("submitted")
    with pytest.raises(InvalidInput):
        services.report_reject(actor=cw["grid_worker_here"], report=rejected, reason="")
    services.report_reject(actor=cw["grid_worker_here"], report=rejected, reason="重复的恶意举报")
    withdrawn = at_state("accepted")
    with pytest.raises(NotAllowed):
        services.report_withdraw(actor=cw["grid_worker_here"], report=withdrawn)
    services.report_withdraw(actor=cw["resident"], report=withdrawn)
    referred = at_state("accepted")
    with pytest.raises(NotAllowed):
        services.report_refer(actor=cw["organiser_here"], report=referred, referred_to="供电公司", reason="产权")
    with pytest.raises(InvalidInput):
        services.report_refer(actor=cw["grid_worker_here"], report=referred, referred_to="", reason="产权")
    services.report_refer(
        actor=cw["grid_worker_here"], report=referred, referred_to="国网供电公司 95598", reason="线路产权属供电公司"
    )
    states = dict(Report.objects.values_list("pk", "state"))
    assert [states[r.pk] for r in (rejected, withdrawn, referred)] == ["rejected", "withdrawn", "referred"]
    assert all(r.closed_at for r in Report.objects.all())


def test_officials_above_may_do_what_grid_workers_do(cw, at_state):
    report = at_state("submitted")
    services.report_accept(actor=cw["official_here"], report=report)
    report.refresh_from_db()
    assert report.state == "accepted"
