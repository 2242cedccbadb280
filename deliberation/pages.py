"""Which cached page parts (civic.pagecache) a write to deliberation changes, and the scopes each page reads.

- `ballots:CODE` — the ballot lists of area CODE (every area above a box's area lists it too) and
  `ballots:*`, the list of every area: a box's row as its card shows it (title, state, dates, kind, the
  number of ballots once the box has closed). An online ballot changes none of them: a card shows no
  running count while a box is open.
- `ballot:PK` — the box's public page and its results page: the row with its live turnout (every ballot
  cast bumps it, one insert in the ballot's transaction), its options.
- `sessions` — the list of sessions open to watch (title, time, place, phase, whether minutes are out);
  `councils` — councils' names and areas (the sessions page lists them).
- `council:PK` — a council's page: its members and its sessions.
- `session:PK` — a session's published minutes.
- shared by many pages: `areas`, `people` (names shown).

A session's state is stored after every command of its live meeting; that changes none of these pages
unless it moves the session to another phase (opened, closed, not held), so those saves bump nothing.
"""

from civic import pagecache

from .models import BallotBox, BallotOption, Council, CouncilMember, Minutes, Session

# The columns the engine writes on every command (services.sessions._record, _time_up).
ENGINE_FIELDS = frozenset({"state", "seq", "phase", "rules", "speech_deadline"})


def ballot_list_scopes(area) -> list[str]:
    return [f"ballots:{area.code}" if area is not None else "ballots:*", "areas"]


def ballot_scopes(pk: int) -> list[str]:
    return [f"ballot:{pk}", "areas"]


def session_list_scopes() -> list[str]:
    return ["sessions", "councils", "areas"]


def council_scopes(pk: int) -> list[str]:
    return [f"council:{pk}", "councils", "areas", "people", "organisations"]


def minutes_scopes(pk: int) -> list[str]:
    return [f"session:{pk}", "councils", "people"]


def _in_lists(area_path: str) -> list[str]:
    return ["ballots:*", *pagecache.area_scopes("ballots", area_path)]


def _box(box: BallotBox) -> list[str]:
    return [f"ballot:{box.pk}", *_in_lists(box.area_path)]


def ballot_cast(box_pk: int) -> None:
    """An online ballot (its turnout is a TurnoutShare row, which sends no signal): the box's own pages only."""
    pagecache.bump(f"ballot:{box_pk}")


def ballots_entered(box: BallotBox) -> None:
    """Paper ballots entered (an update of the turnout): the box's pages and, for a box that has closed,
    the lists whose cards count them."""
    pagecache.bump(*_box(box))


def _remember_phase(sender, instance, **kwargs):
    instance._pagecache_phase = instance.__dict__.get("phase") if instance.pk is not None else None


def _session_saved(sender, instance, created=False, update_fields=None, **kwargs):
    engine_only = update_fields is not None and set(update_fields) <= ENGINE_FIELDS
    if not created and engine_only and getattr(instance, "_pagecache_phase", None) == instance.phase:
        return  # a step of the live meeting: nothing these pages show
    instance._pagecache_phase = instance.phase
    pagecache.bump("sessions", f"council:{instance.council_id}", f"session:{instance.pk}")


def _session_deleted(sender, instance, **kwargs):
    pagecache.bump("sessions", f"council:{instance.council_id}", f"session:{instance.pk}")


def watch() -> None:
    from django.db.models.signals import post_delete, post_init, post_save

    pagecache.watch(BallotBox, _box)
    pagecache.watch(BallotOption, lambda row: [f"ballot:{row.box_id}"])
    pagecache.watch(Council, lambda row: ["councils", f"council:{row.pk}"])
    pagecache.watch(CouncilMember, lambda row: [f"council:{row.council_id}"])
    pagecache.watch(Minutes, lambda row: ["sessions", f"session:{row.session_id}"])
    post_init.connect(_remember_phase, sender=Session, weak=False, dispatch_uid="pagecache-session-phase")
    post_save.connect(_session_saved, sender=Session, weak=False, dispatch_uid="pagecache-save-session")
    post_delete.connect(_session_deleted, sender=Session, weak=False, dispatch_uid="pagecache-delete-session")
