"""Which cached page parts (civic.pagecache) a write to the civic core changes, and the scopes its pages read.

- `areas` — names and shape of the area tree (every page that names an area);
- `organisations` — confirmed organisations and the areas they serve;
- `roles` — who looks after an area; `people` — names shown on pages;
- `area:CODE` — an area's page: its timeline (what happened anywhere under it);
- `timeline:CT:PK` — the timeline of one subject (a proposal's page shows it);
- `person:PK` — what the header shows one signed-in person: unread notifications, the menu their roles open.
"""

from . import pagecache

PEOPLE_FIELDS_NOT_SHOWN = frozenset({"last_login", "password", "preferred_language", "phone", "email"})


def home_scopes() -> list[str]:
    return ["areas"]


def area_scopes(code: str) -> list[str]:
    return [f"area:{code}", "areas", "organisations", "roles", "people"]


def _timeline(entry) -> list[str]:
    return [
        f"timeline:{entry.subject_type_id}:{entry.subject_id}",
        *pagecache.area_scopes("area", entry.area_path or ""),
    ]


def watch() -> None:
    from .models import Area, AreaRole, Notification, Organisation, TimelineEntry, User

    pagecache.watch(Area, lambda row: ["areas"])
    pagecache.watch(Organisation, lambda row: ["organisations"])
    pagecache.watch(AreaRole, lambda row: ["roles", f"person:{row.user_id}"])
    pagecache.watch(User, lambda row: ["people", f"person:{row.pk}"], ignore_fields=PEOPLE_FIELDS_NOT_SHOWN)
    pagecache.watch(Notification, lambda row: [f"person:{row.recipient_id}"])
    pagecache.watch(TimelineEntry, _timeline)

    from django.db.models.signals import m2m_changed

    def served_areas_changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            pagecache.bump("organisations")

    m2m_changed.connect(
        served_areas_changed, sender=Organisation.areas.through, weak=False, dispatch_uid="pagecache-org-areas"
    )
