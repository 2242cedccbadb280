import rules

from civic.predicates import is_superuser

from .predicates import manages_area

# Ballot boxes: prepare, schedule, close early, count, enter paper ballots.
rules.add_perm("deliberation.manage_box", manages_area | is_superuser)
# Councils and their sessions: set up a council, add members, schedule sessions, publish minutes for a chair.
rules.add_perm("deliberation.manage_council", manages_area | is_superuser)
