"""Which cached page parts (civic.pagecache) a write to casework changes, and the scopes each page reads.

- `reports:CODE` — the board and the overdue list of area CODE, and the grid workers' intake queues that
  cover CODE (a report is shown in the lists of its cell and of every area above it); `reports:*` — every
  report (an administrator's intake queue);
- `report:PK` — the report's page: the row, its steps, photos, ratings and escalations;
- `casework-unit:PK` — the queue of unit PK (what is dispatched to it and being handled);
- `casework-categories` — categories (names on every card, the board's filter), `casework-units` — units;
- shared with the core: `areas` (cell names, the board's cells), `organisations` (a unit's name).

Every save and delete of these rows bumps through model signals (`watch`); a service that writes through
`QuerySet.update` calls `bump_report(report)` itself, inside its transaction.
"""

from civic import pagecache

COMMON = ("casework-categories", "casework-units", "areas", "organisations")


def board_scopes(code: str) -> list[str]:
    return [f"reports:{code}", *COMMON]


def report_scopes(pk: int) -> list[str]:
    return [f"report:{pk}", *COMMON]


def unit_queue_scopes(unit_id: int) -> list[str]:
    return [f"casework-unit:{unit_id}", *COMMON]


def intake_queue_scopes(codes) -> list[str]:
    return [*(f"reports:{code}" for code in codes), *COMMON]


def _report(report) -> list[str]:
    scopes = [f"report:{report.pk}", "reports:*", *pagecache.area_scopes("reports", report.area_path or "")]
    units = {report.unit_id, getattr(report, "_pagecache_unit_id", None)}
    scopes += [f"casework-unit:{unit_id}" for unit_id in units if unit_id]
    before = getattr(report, "_pagecache_area_path", None)
    if before and before != report.area_path:  # moved to another cell: the lists it left change too
        scopes += pagecache.area_scopes("reports", before)
    return scopes


def bump_report(report) -> None:
    """For a write through `QuerySet.update` (no signal): the report's page, lists and queues change."""
    pagecache.bump(*_report(report))


def _of_report(row) -> list[str]:
    """A step, a rating: the report's page, and its lists and queues (they show its state and counts)."""
    return _report(row.report)


def _page_only(row) -> list[str]:
    return [f"report:{row.report_id}"]


def _remember(sender, instance, **kwargs):
    instance._pagecache_unit_id = instance.__dict__.get("unit_id")
    instance._pagecache_area_path = instance.__dict__.get("area_path")


def watch() -> None:
    from django.db.models.signals import post_init

    from .models import Category, ClockStop, Escalation, Report, ReportEvent, ReportPhoto, ReportRating, Unit

    post_init.connect(_remember, sender=Report, weak=False, dispatch_uid="pagecache-report-unit")
    pagecache.watch(Report, _report)
    pagecache.watch(ReportEvent, _of_report)
    pagecache.watch(ReportRating, _of_report)
    pagecache.watch(ClockStop, _of_report)
    for model in (ReportPhoto, Escalation):
        pagecache.watch(model, _page_only)
    pagecache.watch(Category, lambda row: ["casework-categories"])
    pagecache.watch(Unit, lambda row: ["casework-units"])
