"""The proposal's states and the only moves between them (pure; no database)."""

from .models import ProposalState as S

TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.PUBLISHED, S.WITHDRAWN},
    S.PUBLISHED: {S.QUALIFIED, S.EXPIRED, S.WITHDRAWN, S.DECLINED},
    S.QUALIFIED: {S.SCHEDULED, S.ADOPTED, S.NOT_ADOPTED, S.WITHDRAWN, S.DECLINED},
    S.SCHEDULED: {S.ADOPTED, S.NOT_ADOPTED, S.QUALIFIED},
    S.ADOPTED: {S.IN_IMPLEMENTATION},
    S.IN_IMPLEMENTATION: {S.DONE},
    S.NOT_ADOPTED: set(),
    S.DONE: set(),
    S.EXPIRED: set(),
    S.WITHDRAWN: set(),
    S.DECLINED: set(),
}

COLLECTING = {S.PUBLISHED}
OPEN_FOR_ANSWER = {S.PUBLISHED, S.QUALIFIED, S.SCHEDULED}
OPEN_FOR_COMMENTS = {S.PUBLISHED, S.QUALIFIED, S.SCHEDULED, S.ADOPTED, S.IN_IMPLEMENTATION}
PUBLIC = set(S.values) - {S.DRAFT}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())
