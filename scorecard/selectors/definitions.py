"""What the scorecard shows: the five governances, each figure's label, unit and definition, the funnel's
steps, and the constants the counting uses."""

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civic.models import OrganisationKind, VerificationStatus
from funding.models import EntryKind, FundingSource, SatisfactionLevel
from proposals.models import ProposalState

CACHE_SECONDS = 600
SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")
FEN = Decimal("0.01")
PAYMENT_KINDS = (EntryKind.ADVANCE, EntryKind.SETTLEMENT)
OPENED_PHASES = ("open", "recess", "closed")  # a session opens only with quorum present
DECIDED_STATES = (ProposalState.ADOPTED, ProposalState.NOT_ADOPTED, ProposalState.IN_IMPLEMENTATION, ProposalState.DONE)
ADOPTED_STATES = (ProposalState.ADOPTED, ProposalState.IN_IMPLEMENTATION, ProposalState.DONE)
# Verifications that were approved at some time; a withdrawn one was approved if it has a decision date (only
# approval sets it), otherwise it was withdrawn while still waiting for review.
APPROVED_STATUSES = (VerificationStatus.APPROVED, VerificationStatus.EXPIRED, VerificationStatus.REVOKED)
ONCE_VERIFIED = Q(status__in=APPROVED_STATUSES) | Q(status=VerificationStatus.WITHDRAWN, decided_at__isnull=False)
ORGANISED_KINDS = (OrganisationKind.ENTERPRISE, OrganisationKind.SOCIAL)
ORGANISED_SOURCES = (FundingSource.ENTERPRISE, FundingSource.SOCIAL)
SATISFIED = Q(level__gte=SatisfactionLevel.FAIRLY_SATISFIED)  # very satisfied, satisfied, fairly satisfied

ACTOR_KINDS = [
    ("resident", _("residents")),
    (OrganisationKind.ENTERPRISE.value, _("enterprises")),
    (OrganisationKind.SOCIAL.value, _("social organisations")),
    (OrganisationKind.RESIDENTS_GROUP.value, _("residents' self-governing groups")),
    (OrganisationKind.COMMUNITY_COMMITTEE.value, _("community residents' committees")),
    (OrganisationKind.GOVERNMENT.value, _("government departments")),
]

GOVERNANCES = [
    ("precise", _("Precise governance")),
    ("rule_based", _("Rule-based governance")),
    ("digital", _("Digital governance")),
    ("shared", _("Shared governance")),
    ("trust", _("Trust-building governance")),
]

# key: (governance, label, unit, definition)
FIGURES = {
    "median_answer_days": (
        "precise",
        _("Median time to an official answer"),
        "days",
        _(
            "Proposals published in the period that have had an official answer: the working days from the day "
            "of publication to the day of the first answer (weekends and public holidays not counted, make-up "
            "working days counted). Half of these proposals were answered faster than this, half slower. "
            "Proposals hidden by moderation are left out."
        ),
    ),
    "answered_in_time_share": (
        "precise",
        _("Answered within the deadline"),
        "share",
        _(
            "Proposals published in the period that have had an official answer, or are still waiting for one "
            "after their answer deadline: the share whose first answer came on or before the deadline. "
            "Proposals still within their deadline are not counted yet."
        ),
    ),
    "overdue_now": (
        "precise",
        _("Waiting for an answer past the deadline, today"),
        "count",
        _(
            "Proposals that are collecting co-signatures, qualified or on an agenda, have no official answer "
            "and whose answer deadline has passed, counted today whatever the period."
        ),
    ),
    "casework_response_rate": (
        "precise",
        _("Small matters accepted in time (响应率)"),
        "share",
        _(
            "Reports of small matters submitted in the period, leaving out those merged into another report, "
            "withdrawn or rejected: of the reports that were accepted or whose response limit has passed, the "
            "share accepted within the response limit (working hours). A report still inside its response "
            "limit, or whose clock is stopped, is not counted yet."
        ),
    ),
    "casework_resolution_rate": (
        "precise",
        _("Small matters resolved (解决率)"),
        "share",
        _(
            "The same reports, once accepted: of those closed after a resolution or whose handling limit has "
            "passed, the share closed after a resolution (rated, or not rated within the rating period). "
            "Reports referred outside the platform are left out; a report reopened after a poor rating counts "
            "once, as it stands now."
        ),
    ),
    "casework_median_days": (
        "precise",
        _("Median handling time of small matters"),
        "days",
        _(
            "The same reports, closed after a resolution: the working days from the day a report was accepted "
            "to the day of its last resolution (weekends and public holidays not counted, make-up working days "
            "counted). Half were handled faster than this, half slower."
        ),
    ),
    "quorum_share": (
        "rule_based",
        _("Sessions that reached quorum"),
        "share",
        _(
            "Council sessions scheduled to start in the period: the share that opened with a quorum present. "
            "Sessions recorded as not held, and sessions still not opened after the day they were scheduled "
            "for, count against; sessions still to come are not counted."
        ),
    ),
    "minutes_share": (
        "rule_based",
        _("Decisions with published minutes"),
        "share",
        _(
            "Council sessions scheduled to start in the period that closed with at least one decision on an "
            "agenda item: the share whose minutes have been published."
        ),
    ),
    "points_of_order_raised": (
        "rule_based",
        _("Points of order raised"),
        "count",
        _("Points of order raised by members in the council sessions scheduled to start in the period."),
    ),
    "points_of_order_upheld": (
        "rule_based",
        _("Points of order upheld"),
        "count",
        _("Points of order that the chair ruled well taken, in the council sessions scheduled in the period."),
    ),
    "consultations_held": (
        "rule_based",
        _("Consultations held (开门立法)"),
        "count",
        _(
            "Drafts of rules and plans put out for public comment whose window opened in the period: draft "
            "regulations sent to a legislative contact point, rules of residential communities, residents' "
            "conventions, plans."
        ),
    ),
    "consultation_participants": (
        "rule_based",
        _("People who gave their opinion"),
        "count",
        _(
            "On the consultations opened in the period: the people and organisations who gave an opinion online "
            "(each once), the people who attended the symposiums, and one person for each opinion received by "
            "letter, on the hotline or in a visit."
        ),
    ),
    "consultation_opinions": (
        "rule_based",
        _("Opinions received on consultations"),
        "count",
        _("Opinions on the consultations opened in the period, online and offline, hidden ones included."),
    ),
    "consultation_adoption_rate": (
        "rule_based",
        _("Opinions adopted"),
        "share",
        _(
            "Opinions on the consultations opened in the period that have been answered, leaving out those "
            "answered as outside the consultation: the share adopted or partly adopted. Opinions answered "
            "together in a group count one by one."
        ),
    ),
    "consultation_answered_in_time_share": (
        "rule_based",
        _("Opinions answered by the deadline"),
        "share",
        _(
            "Opinions on the consultations opened in the period that have been answered or whose answer "
            "deadline has passed: the share answered on or before the deadline (the working days after the "
            "window closed that the consultation set)."
        ),
    ),
    "participation_share": (
        "digital",
        _("Verified residents taking part"),
        "share",
        _(
            "People verified as residents of the area at any time in the period: the share who, in the period, "
            "published a proposal themselves, co-signed a proposal, spoke or voted in a council session, voted "
            "in a community ballot or rated a project, anywhere on the platform."
        ),
    ),
    "online_share": (
        "digital",
        _("Proposals that came in online"),
        "share",
        _(
            "Proposals published in the period: the share that their authors submitted online themselves, "
            "rather than staff entering them for a resident who came in person or phoned."
        ),
    ),
    "casework_online_share": (
        "digital",
        _("Small matters reported online"),
        "share",
        _(
            "The same reports of small matters: the share that residents reported online themselves, rather "
            "than staff entering them from a phone call or a visit, or a hotline system sending them."
        ),
    ),
    "enterprise_social_proposal_share": (
        "shared",
        _("Proposals from enterprises and social organisations"),
        "share",
        _(
            "Proposals published in the period: the share put forward on behalf of an enterprise or a social "
            "organisation."
        ),
    ),
    "enterprise_social_cofunding_share": (
        "shared",
        _("Co-funding from enterprises and social organisations"),
        "share",
        _(
            "Money and in-kind contributions promised in the period towards the area's micro-projects: the "
            "share, in yuan, promised by enterprises and social organisations."
        ),
    ),
    "organisations_taking_part": (
        "shared",
        _("Organisations taking part"),
        "count",
        _(
            "Distinct organisations that, in the period, put forward a proposal, co-sponsored one, promised "
            "co-funding to a project, or carry out a project that was set up, started, reported complete or "
            "accepted in the period."
        ),
    ),
    "satisfaction_rate": (
        "trust",
        _("Satisfaction with accepted projects"),
        "share",
        _(
            "Residents' ratings of the micro-projects accepted at inspection in the period: the share rated "
            "very satisfied, satisfied or fairly satisfied."
        ),
    ),
    "average_score": (
        "trust",
        _("Average satisfaction score"),
        "score",
        _(
            "The same ratings as a score: very satisfied 5, satisfied 4, fairly satisfied 3, dissatisfied 2, "
            "very dissatisfied 1; the average of all ratings."
        ),
    ),
    "casework_satisfaction_rate": (
        "trust",
        _("Satisfaction with handled small matters (满意率)"),
        "share",
        _(
            "The same reports, rated by their reporter (or at a callback): the share whose latest rating is very "
            "satisfied, satisfied or fairly satisfied. A report reopened after a poor rating counts once, with "
            "its latest rating."
        ),
    ),
    "notices_on_time_share": (
        "trust",
        _("Outcome notices published on time"),
        "share",
        _(
            "Outcome notices published in the period (corrections left out), together with decisions whose "
            "publication deadline fell in the period and passed without a notice: the share published within "
            "the deadline (the working days the area's subsidy policy allows, counted from the decision)."
        ),
    ),
    "objections_on_time_share": (
        "trust",
        _("Objections answered on time"),
        "share",
        _(
            "Objections to subsidy awards whose answer was due in the period: the share answered on or before "
            "the due date. An objection still unanswered after its due date counts as late; one not yet due is "
            "not counted."
        ),
    ),
}

FUNNEL = [
    ("proposed", pgettext_lazy("funnel step", "proposed")),
    ("qualified", pgettext_lazy("funnel step", "qualified for the agenda")),
    ("decided", pgettext_lazy("funnel step", "decided")),
    ("adopted", pgettext_lazy("funnel step", "adopted")),
    ("built", pgettext_lazy("funnel step", "built")),
    ("accepted", pgettext_lazy("funnel step", "accepted at inspection")),
    ("paid", pgettext_lazy("funnel step", "award paid")),
]
FUNNEL_DEFINITION = _(
    "Proposals published in the period, and how far each has gone: qualified for the agenda, decided by a "
    "council or a vote (adopted or not), adopted, its project reported complete, its project accepted at "
    "inspection, and an award payment made for its project (not corrected away)."
)
