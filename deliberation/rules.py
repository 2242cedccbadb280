import rules

from civic.predicates import is_superuser

from .predicates import chairs_session, manages_area, manages_session_area, session_is_public, sits_on_session_council

# Ballot boxes: prepare, schedule, close early, count, enter paper ballots.
rules.add_perm("deliberation.manage_box", manages_area | is_superuser)
# Councils and their sessions: set up a council, add members, schedule sessions, publish minutes for a chair.
rules.add_perm("deliberation.manage_council", manages_area | is_superuser)
# Watch a live session (page, record, WebSocket): anyone when it is public; else its chair, the council's
# members and the area's organisers and officials.
rules.add_perm(
    "deliberation.watch_session",
    session_is_public | chairs_session | sits_on_session_council | manages_session_area | is_superuser,
)
# Publish a session's minutes: its chair, or whoever manages the council's area.
rules.add_perm("deliberation.publish_minutes", chairs_session | manages_session_area | is_superuser)
