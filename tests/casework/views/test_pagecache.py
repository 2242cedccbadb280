"""The small-matter pages on the exact page cache (civic.pagecache): the board, the overdue list, a report's
page and the work queues show every write at once, are kept otherwise (a second reading costs less, a write
in another area leaves them kept), turn with the clock at a deadline, and cost the same for few or many
reports. The queue is shared by everyone who works it, but who may see it is decided on every request."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import Category, Report, ReportState
from casework.pages import bump_report
from civic.services import content_report, moderation_decide

from ..conftest import photo

pytestmark = pytest.mark.django_db

BOARD = "/areas/7701/casework/"
OVERDUE = "/areas/7701/casework/overdue/"
QUEUE = "/casework/queue/lists/"


def _get(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url, **params)
    return len(captured.captured_queries)


def _state_shown(page: str, report) -> str:
    """The state badge of `report`'s card on a list page."""
    card = page.split(f"#{report.pk} ", 1)[1].split("</li>", 1)[0]
    return card.split('class="badge', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_each_page_read_twice_without_a_write_is_kept(client, cw, at_state):
    report = at_state("dispatched")
    for person, url in [
        ("unit_member", BOARD),
        ("unit_member", QUEUE),
        ("grid_worker_here", QUEUE),
        ("resident_elsewhere", report.get_absolute_url()),  # the handlers' own view of it is not shared
    ]:
        client.force_login(cw[person])
        first, second = _queries(client, url), _queries(client, url)
        assert second < first, (person, url)
    client.logout()
    for url in [BOARD, OVERDUE, "/casework/", report.get_absolute_url(), f"{BOARD}?status=open"]:
        first, second = _queries(client, url), _queries(client, url)
        assert second < first, url
        assert second <= 2, url  # the kept whole page: the versions and parts in one query (and the session)


def test_the_board_shows_each_step_of_the_loop_at_once(client, cw, file_report):
    """Anonymous (the whole page kept) and signed in (the shared part kept): every step shows on the next read."""
    lamp = Category.objects.get(area=cw["city"], key="lamp")
    readers = [client, client.__class__()]
    readers[1].force_login(cw["resident_elsewhere"])
    for reader in readers:
        assert "3 栋门口路灯" not in _get(reader, BOARD)

    report = file_report()  # a new report
    for reader in readers:
        assert _state_shown(_get(reader, BOARD), report) == str(ReportState.SUBMITTED.label)
    steps = [
        (lambda r: services.report_accept(actor=cw["grid_worker_here"], report=r), ReportState.ACCEPTED),
        (lambda r: services.report_dispatch(actor=cw["grid_worker_here"], report=r), ReportState.DISPATCHED),
        (lambda r: services.report_start(actor=cw["unit_member"], report=r), ReportState.IN_PROGRESS),
        (
            lambda r: services.report_resolve(actor=cw["unit_member"], report=r, note="已更换灯泡", files=[photo()]),
            ReportState.RESOLVED,
        ),
        (  # a poor rating reopens it (重办)
            lambda r: services.report_rate(actor=cw["resident"], report=r, level=1, comment="还是不亮"),
            ReportState.DISPATCHED,
        ),
    ]
    for write, state in steps:
        write(Report.objects.get(pk=report.pk))
        for reader in readers:
            assert _state_shown(_get(reader, BOARD), report) == str(state.label), state
    for reader in readers:
        assert "重办 1 次" in _get(reader, BOARD)  # the card's reopened badge

    services.report_start(actor=cw["unit_member"], report=Report.objects.get(pk=report.pk))
    services.report_resolve(
        actor=cw["unit_member"], report=Report.objects.get(pk=report.pk), note="已修好", files=[photo()]
    )
    services.report_rate(actor=cw["resident"], report=Report.objects.get(pk=report.pk), level=5)
    for reader in readers:
        page = _get(reader, BOARD)
        assert _state_shown(page, report) == str(ReportState.CLOSED.label) and "5/5" in page

    # a category renamed: every card names it anew
    services.category_save(
        actor=cw["admin"],
        area=cw["city"],
        key="lamp",
        name="路灯与照明",
        name_en=lamp.name_en,
        description=lamp.description,
        unit_kind=lamp.unit_kind,
        response_hours=lamp.response_hours,
        handling_days=lamp.handling_days,
        default_unit=lamp.default_unit,
        requires_after_photo=lamp.requires_after_photo,
        clock_stop_allowed=lamp.clock_stop_allowed,
        position=lamp.position,
    )
    overridden = Category.objects.get(area=cw["D1"], key="lamp")  # what 一区's cards name (its override)
    overridden.name = "一区路灯"
    overridden.save()
    for reader in readers:
        assert "一区路灯" in _get(reader, BOARD)


def test_withdrawal_merge_and_moderation_show_at_once(client, cw, file_report):
    kept = file_report(place="7 栋楼道灯")
    duplicate = file_report(person="resident", place="7 栋楼道灯（重复）")
    withdrawn = file_report(place="南门路灯")
    report_url = kept.get_absolute_url()
    assert "7 栋楼道灯（重复）" in _get(client, BOARD)
    _get(client, report_url)

    services.report_withdraw(actor=cw["resident"], report=withdrawn)
    assert _state_shown(_get(client, BOARD), withdrawn) == str(ReportState.WITHDRAWN.label)

    services.report_merge(actor=cw["grid_worker_here"], report=duplicate, into=kept)
    assert _state_shown(_get(client, BOARD), duplicate) == str(ReportState.MERGED.label)
    assert f"#{duplicate.pk}" in _get(client, report_url)  # the survivor's steps: a duplicate merged in

    case = content_report(reporter=cw["resident_elsewhere"], obj=kept, reason="spam", text="广告").case
    moderation_decide(actor=cw["moderator_here"], case=case, hide=True, reason="广告内容")
    assert f"#{kept.pk} " not in _get(client, BOARD)
    assert client.get(report_url).status_code == 404


def test_a_hidden_photo_leaves_the_report_page_at_once(client, cw, file_report):
    report = file_report(files=[photo()])
    photo_row = report.photos.get()
    assert photo_row.get_absolute_url() in _get(client, report.get_absolute_url())
    case = content_report(reporter=cw["resident_elsewhere"], obj=photo_row, reason="spam", text="不相关").case
    moderation_decide(actor=cw["moderator_here"], case=case, hide=True, reason="不相关")
    assert photo_row.get_absolute_url() not in _get(client, report.get_absolute_url())


def test_a_write_in_another_area_leaves_the_board_kept(client, cw, file_report):
    file_report()
    _get(client, BOARD)
    kept = _queries(client, BOARD)
    elsewhere = file_report(person="resident_elsewhere", cell="c2a", place="甲网格路灯")
    services.report_accept(actor=cw["grid_worker_elsewhere"], report=elsewhere)
    assert _queries(client, BOARD) == kept
    assert "甲网格路灯" in _get(client, "/areas/7702/casework/")


def test_a_deadline_passing_turns_the_board_and_the_overdue_list_and_the_tick_flags_the_report(client, cw, file_report):
    report = file_report()
    assert "badge-late" not in _get(client, BOARD)
    assert f"#{report.pk} " not in _get(client, OVERDUE)
    assert "badge-late" not in _get(client, report.get_absolute_url())
    later = report.response_due + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        mock.patch("civic.pagecache.time.time", return_value=later.timestamp()),
    ):
        assert "badge-late" in _get(client, BOARD)  # kept until the deadline, not after
        assert f"#{report.pk} " in _get(client, OVERDUE)
        assert "badge-late" in _get(client, report.get_absolute_url())
        steps = _get(client, report.get_absolute_url())
        assert services.flag_overdue_reports(now=later) == 1  # the tick's flag: a step on the report's page
        assert _get(client, report.get_absolute_url()) != steps
        assert Report.objects.get(pk=report.pk).response_overdue_at == later


def test_the_unit_queue_is_shared_fresh_and_still_guarded(client, cw, at_state, file_report):
    report = at_state("accepted")
    client.force_login(cw["unit_member"])
    assert f"#{report.pk} " not in _get(client, QUEUE)
    services.report_dispatch(actor=cw["grid_worker_here"], report=Report.objects.get(pk=report.pk))
    assert f"#{report.pk} " in _get(client, QUEUE)  # dispatched to the unit: in its queue at once
    services.report_start(actor=cw["unit_member"], report=Report.objects.get(pk=report.pk))
    services.report_resolve(
        actor=cw["unit_member"], report=Report.objects.get(pk=report.pk), note="已处理", files=[photo()]
    )
    assert f"#{report.pk} " not in _get(client, QUEUE)  # resolved: out of the unit's queue

    # The grid worker's intake queue: a new report at once, gone when dispatched.
    client.force_login(cw["grid_worker_here"])
    new = file_report(place="新的路灯问题")
    assert f"#{new.pk} " in _get(client, QUEUE)
    services.report_accept(actor=cw["grid_worker_here"], report=new)
    services.report_dispatch(actor=cw["grid_worker_here"], report=Report.objects.get(pk=new.pk))
    assert f"#{new.pk} " not in _get(client, QUEUE)

    # Kept for the unit, yet a person who does not work it gets no part of it.
    client.force_login(cw["unit_member"])
    assert f"#{new.pk} " in _get(client, QUEUE)
    for outsider in ("resident", "other_unit_member", "grid_worker_elsewhere"):
        client.force_login(cw[outsider])
        response = client.get(QUEUE)
        assert response.status_code == 403 or f"#{new.pk} " not in response.content.decode(), outsider
    client.force_login(cw["resident"])
    assert client.get(QUEUE).status_code == 403
    assert client.get("/casework/queue/").status_code == 403
    client.logout()
    assert client.get(QUEUE).status_code == 302


def _copies(report, n, **changes):
    rows = []
    for index in range(n):
        row = Report.objects.get(pk=report.pk)
        row.pk = None
        row.place = f"{report.place} {index}"
        for name, value in changes.items():
            setattr(row, name, value)
        rows.append(row)
    Report.objects.bulk_create(rows)


def test_a_rendering_costs_the_same_for_few_and_many_reports(client, cw, at_state, file_report):
    """A miss (a write just bumped every page) renders a page of the newest reports, however many there are."""
    dispatched = at_state("dispatched")
    client.force_login(cw["grid_worker_here"])
    urls = [BOARD, OVERDUE, f"{BOARD}?status=open", f"{BOARD}?category=lamp", QUEUE, dispatched.get_absolute_url()]

    def costs():
        result = {}
        for url in urls:
            bump_report(dispatched)  # every page showing the report renders afresh
            result[url] = _queries(client, url)
        return result

    _copies(dispatched, 2)
    costs()
    few = costs()
    _copies(dispatched, 40)
    _copies(dispatched, 10, state="submitted", unit=None, response_due=timezone.now() - timedelta(hours=1))
    many = costs()
    assert few == many


def test_the_members_of_a_unit_share_one_rendering_of_its_queue(client, cw, at_state):
    """A second member of the unit gets the first one's rendering: three queries (the person, who they are to
    the queue, the kept lists), none of a report, and the same lists; the time under them is their own."""
    from civic.models import Membership
    from tests.factories import UserFactory

    report = at_state("dispatched")
    second = UserFactory(display_name="second")
    Membership.objects.create(organisation=cw.unit.organisation, user=second)
    client.force_login(cw["unit_member"])
    first_page = _get(client, QUEUE)
    assert f"#{report.pk} " in first_page
    client.force_login(second)
    with CaptureQueriesContext(connection) as captured:
        second_page = _get(client, QUEUE)
    assert len(captured.captured_queries) == 3, [q["sql"][:80] for q in captured.captured_queries]
    assert not any("casework_report" in q["sql"] for q in captured.captured_queries)
    assert second_page.rsplit('<p class="muted">', 1)[0] == first_page.rsplit('<p class="muted">', 1)[0]
    # The other unit's member and a grid worker each have their own queues: not this rendering.
    client.force_login(cw["other_unit_member"])
    assert f"#{report.pk} " not in _get(client, QUEUE)
    # Leaving the unit takes the queue away at once, though its rendering is kept for the others.
    Membership.objects.filter(user=second).delete()
    client.force_login(second)
    assert client.get(QUEUE).status_code == 403


def test_who_works_the_queue_is_read_alike_by_the_plain_query(cw):
    """`queue_worker`'s one query reads the same units and roles as `units_worked_by` and `area_roles_of`."""
    from casework.selectors.reports import queue_worker, units_worked_by
    from civic.models import AreaRole, Membership
    from civic.predicates import area_roles_of

    person = cw["unit_member"]
    Membership.objects.create(organisation=cw.other_unit.organisation, user=person)
    AreaRole.objects.create(user=person, area=cw["c1a"], role="grid_worker")
    for name in ("unit_member", "grid_worker_here", "resident", "other_unit_member"):
        fresh = person.__class__.objects.get(pk=cw[name].pk)
        units = queue_worker(fresh)
        roles = fresh._civic_area_roles
        again = person.__class__.objects.get(pk=cw[name].pk)
        assert units == sorted(unit.pk for unit in units_worked_by(again)), name
        assert sorted(roles) == sorted(area_roles_of(again)), name
    assert len(queue_worker(person.__class__.objects.get(pk=person.pk))) == 2
