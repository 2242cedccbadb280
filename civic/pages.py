"""Which cached page parts (civic.pagecache) a write to the civic core changes, and the scopes its pages read.

- `areas` — names and shape of the area tree (every page that names an area);
- `organisations` — confirmed organisations and the areas they serve;
- `roles` — who looks after an area; `people` — names shown on pages;
- `area:CODE` — an area's page: its timeline (what happened anywhere under it);
- `timeline:CT:PK` — the timeline of one subject (a proposal's page shows it);
- `person:PK` — what the header shows one signed-in person: unread notifications, the menu their roles open.
- `organisation:PK` — an organisation's page: its row, members, what it has done (its timeline);
  `organisation-members` — the members each card of the register counts;
- `notices:CODE` — the notice board of area CODE (a notice is on the board of its area and every area
  above); `notice-deadlines` — the rules that set how many working days a notice may take (the stage that
  sets them bumps it);
- `profile:PK` — a person's public page: their organisations and whether they are a verified resident.
"""

from . import pagecache

PEOPLE_FIELDS_NOT_SHOWN = frozenset({"last_login", "password", "preferred_language", "phone", "email"})


def home_scopes() -> list[str]:
    return ["areas"]


def area_scopes(code: str) -> list[str]:
    return [f"area:{code}", "areas", "organisations", "roles", "people"]


def area_list_scopes() -> list[str]:
    return ["areas"]


def organisation_list_scopes() -> list[str]:
    return ["organisations", "organisation-members", "areas"]


def organisation_scopes(pk: int) -> list[str]:
    return [f"organisation:{pk}", "organisations", "areas", "people"]


def notice_scopes(code: str) -> list[str]:
    return [f"notices:{code}", "notice-deadlines", "areas"]


def profile_scopes(pk: int) -> list[str]:
    return [f"profile:{pk}", "people", "organisations"]


def _timeline(entry) -> list[str]:
    scopes = [
        f"timeline:{entry.subject_type_id}:{entry.subject_id}",
        *pagecache.area_scopes("area", entry.area_path or ""),
    ]
    if entry.organisation_id:
        scopes.append(f"organisation:{entry.organisation_id}")
    return scopes


def _notice(row) -> list[str]:
    """A notice is on the board of its area and of every area above; a correction also changes the boards
    that show the notice it corrects ("corrected by")."""
    scopes = pagecache.area_scopes("notices", row.area_path or "")
    if row.corrects_id:
        scopes += pagecache.area_scopes("notices", row.corrects.area_path or "")
    return scopes


def _membership(row) -> list[str]:
    return ["organisation-members", f"organisation:{row.organisation_id}", f"profile:{row.user_id}"]


def watch() -> None:
    from .models import (
        Area,
        AreaRole,
        CalendarDay,
        Membership,
        Notification,
        Organisation,
        OutcomeNotice,
        ResidencyVerification,
        TimelineEntry,
        User,
    )

    pagecache.watch(Area, lambda row: ["areas"])
    pagecache.watch(Organisation, lambda row: ["organisations", f"organisation:{row.pk}"])
    pagecache.watch(Membership, _membership)
    pagecache.watch(OutcomeNotice, _notice)
    pagecache.watch(CalendarDay, lambda row: ["notice-deadlines"])  # working days: a notice's deadline
    pagecache.watch(ResidencyVerification, lambda row: [f"profile:{row.user_id}"])
    pagecache.watch(AreaRole, lambda row: ["roles", f"person:{row.user_id}"])
    pagecache.watch(User, lambda row: ["people", f"person:{row.pk}"], ignore_fields=PEOPLE_FIELDS_NOT_SHOWN)
    pagecache.watch(Notification, lambda row: [f"person:{row.recipient_id}"])
    pagecache.watch(TimelineEntry, _timeline)

    from django.db.models.signals import m2m_changed

    def served_areas_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            changed = [instance.pk] if not reverse else sorted(pk_set or ())
            # (an area's whole list cleared names no organisation: every page of one is then stale)
            pagecache.bump("organisations", *(f"organisation:{pk}" for pk in changed))

    m2m_changed.connect(
        served_areas_changed, sender=Organisation.areas.through, weak=False, dispatch_uid="pagecache-org-areas"
    )
