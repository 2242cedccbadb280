"""The proposal's states and the only moves between them, declared once (pure; no database)."""

from django.utils.translation import gettext_lazy

from civic.states import StateMachine

from .models import ProposalState as S

MACHINE = StateMachine(
    S,
    {
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
    },
    noun="proposal",
    refusal=gettext_lazy("A proposal that is “%(current)s” cannot become “%(target)s”."),
)

COLLECTING = {S.PUBLISHED}
OPEN_FOR_ANSWER = {S.PUBLISHED, S.QUALIFIED, S.SCHEDULED}
OPEN_FOR_COMMENTS = {S.PUBLISHED, S.QUALIFIED, S.SCHEDULED, S.ADOPTED, S.IN_IMPLEMENTATION}
PUBLIC = set(S.values) - {S.DRAFT}
