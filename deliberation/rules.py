import rules

from civic.predicates import is_superuser

from .predicates import (
    box_is_announced,
    chairs_session,
    is_resident_of_box_area,
    manages_area,
    manages_box_area,
    manages_session_area,
    manages_somewhere,
    session_is_public,
    sits_on_session_council,
)

# Ballot boxes. Whether a box is open, a ballot valid or a batch complete is the services' to judge.
# See a box (object: the box): an announced one, or a draft of an area one manages.
rules.add_perm("deliberation.view_box", box_is_announced | manages_box_area | is_superuser)
# Prepare a vote somewhere (no object): the way to the area chooser.
rules.add_perm("deliberation.prepare_box", manages_somewhere | is_superuser)
# Manage boxes of an area (object: the area): prepare, schedule, close early, count, enter paper ballots.
rules.add_perm("deliberation.manage_box", manages_area | is_superuser)
# Vote in a box (object: the box): a verified resident of its area.
rules.add_perm("deliberation.vote", is_resident_of_box_area)
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
