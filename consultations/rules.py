import rules

from civic.predicates import is_superuser

from .predicates import (
    is_active_person,
    is_drafter,
    is_official_anywhere,
    is_official_of,
    is_opinion_author,
    is_opinion_drafter,
    is_organiser_of_consultation_area,
    is_published,
    may_support,
    may_take_part,
    opinion_public,
    opinions_readable,
)

rules.add_perm("consultations.create", is_official_anywhere | is_superuser)
rules.add_perm("consultations.create_in_area", is_official_of | is_superuser)
rules.add_perm("consultations.view", is_published | is_drafter | is_superuser)
rules.add_perm("consultations.manage", is_drafter | is_superuser)
rules.add_perm("consultations.answer", is_drafter | is_superuser)
rules.add_perm("consultations.enter_offline", is_drafter | is_organiser_of_consultation_area | is_superuser)
rules.add_perm("consultations.comment", is_published & may_take_part)
rules.add_perm("consultations.follow", is_published & is_active_person)
rules.add_perm("consultations.read_opinions", opinions_readable | is_drafter | is_superuser)
rules.add_perm("consultations.view_opinion", opinion_public | is_opinion_author | is_opinion_drafter | is_superuser)
rules.add_perm("consultations.support", may_support)
