"""Council and live-session pages: parse, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civic import pagecache
from civic.errors import InvalidInput, NotAllowed
from civic.forms import submit
from civic.models import Area
from civic.paging import bounded_page

from .. import pages, procedure, selectors, services
from ..forms import AgendaOrderForm, CouncilForm, CouncilMemberForm, CouncilRulesForm, MinutesForm, SessionForm
from ..models import Council, CouncilMember, Minutes, RulePreset, Session
from .ballots import _manages_boxes

User = get_user_model()

LABELS = {
    "check_in": gettext_lazy("Check in"),
    "check_out": gettext_lazy("Leave"),
    "open_session": gettext_lazy("Open the session"),
    "record_not_held": gettext_lazy("Record as not held (no quorum)"),
    "make_motion:main": gettext_lazy("Move a motion"),
    "make_motion:amend": gettext_lazy("Move an amendment"),
    "make_motion:previous_question": gettext_lazy("Move to close debate"),
    "make_motion:refer": gettext_lazy("Move to refer it"),
    "make_motion:postpone": gettext_lazy("Move to postpone"),
    "make_motion:recess": gettext_lazy("Move a recess"),
    "make_motion:adjourn": gettext_lazy("Move to adjourn"),
    "second": gettext_lazy("Second (附议)"),
    "withdraw_motion": gettext_lazy("Withdraw my motion"),
    "request_floor:for": gettext_lazy("Ask to speak for"),
    "request_floor:against": gettext_lazy("Ask to speak against"),
    "withdraw_request": gettext_lazy("Withdraw my request"),
    "point_of_order": gettext_lazy("Point of order"),
    "grant_floor": gettext_lazy("Give the floor to the next speaker"),
    "yield_floor": gettext_lazy("End the speech"),
    "extend_time": gettext_lazy("Extend by one minute"),
    "rule_on_point": gettext_lazy("Rule on the point of order"),
    "open_vote": gettext_lazy("Open the vote"),
    "cast_vote": gettext_lazy("Vote"),
    "close_vote": gettext_lazy("Close the vote"),
    "announce": gettext_lazy("Announce the result"),
    "resume": gettext_lazy("Resume"),
    "next_item": gettext_lazy("Next agenda item"),
    "close_session": gettext_lazy("Close the session"),
    "yes": gettext_lazy("Yes"),
    "no": gettext_lazy("No"),
    "abstain": gettext_lazy("Abstain"),
    "for": gettext_lazy("for"),
    "against": gettext_lazy("against"),
    "order": gettext_lazy("point of order"),
    "adopted": gettext_lazy("Adopted"),
    "rejected": gettext_lazy("Not adopted"),
    "motion_text": gettext_lazy("Text of the motion"),
    "point_text": gettext_lazy("Your point of order"),
    "phase_scheduled": gettext_lazy("Not opened yet"),
    "phase_open": gettext_lazy("In session"),
    "phase_recess": gettext_lazy("In recess"),
    "phase_closed": gettext_lazy("Closed"),
    "phase_not_held": gettext_lazy("Not held (no quorum)"),
    "main": gettext_lazy("motion"),
    "amend": gettext_lazy("amendment"),
    "previous_question": gettext_lazy("close debate"),
    "refer": gettext_lazy("refer"),
    "postpone": gettext_lazy("postpone"),
    "recess": gettext_lazy("recess"),
    "adjourn": gettext_lazy("adjourn"),
    "awaiting_second": gettext_lazy("waiting for a second"),
    "pending": gettext_lazy("before the council"),
    "voted": gettext_lazy("You voted"),
    "reconnecting": gettext_lazy("Reconnecting…"),
    "quorum_line": gettext_lazy("{present} of {members} members present; quorum {quorum}"),
    "nobody": gettext_lazy("Nobody has the floor."),
    "no_motion": gettext_lazy("No motion yet."),
    "motions": gettext_lazy("Motions"),
    "upheld": gettext_lazy("upheld"),
    "not_upheld": gettext_lazy("not upheld"),
    "cancel": gettext_lazy("Cancel"),
    "confirm_close_session": gettext_lazy(
        "Close the session now? This cannot be undone: no more motions, speeches or votes in this session."
    ),
    "confirmed_close_session": gettext_lazy("Yes, close the session"),
    "confirm_record_not_held": gettext_lazy(
        "Record this session as not held for lack of a quorum? This cannot be undone."
    ),
    "confirmed_record_not_held": gettext_lazy("Yes, record it as not held"),
    "confirm_adjourn": gettext_lazy("Move to adjourn? If the council adopts the motion, the session ends."),
    "confirmed_adjourn": gettext_lazy("Yes, move to adjourn"),
    "time_up": gettext_lazy("Time is up for {name}."),
}


def _labels():
    return {key: str(value) for key, value in LABELS.items()}


def _session(request, pk) -> Session:
    session = get_object_or_404(Session.objects.select_related("council__area", "chair"), pk=pk)
    if not request.user.has_perm("deliberation.watch_session", session):
        raise Http404
    return session


SESSION_CARD = ("id", "title", "starts_at", "place", "phase", "council__name")


def _session_list_context(request) -> dict:
    sessions = selectors.public_sessions().select_related(None).select_related("council").only(*SESSION_CARD)
    councils = Council.objects.select_related("area").only("name", "area__name").order_by("area__path", "id")[:50]
    return {"page": bounded_page(sessions, request.GET.get("page"), per_page=30), "councils": councils}


def session_list(request):
    # The same for everyone: one cached part per page and language, the whole page for visitors.
    part = pagecache.Part(
        "sessions",
        pages.session_list_scopes(),
        (request.GET.get("page") or "",),
        lambda: _session_list_context(request),
        request=request,
        signed_in_page=True,  # nothing personal but the header
    )
    page = lambda: render(request, "deliberation/sessions.html", {"part": part})  # noqa: E731
    return pagecache.whole_page(request, part, page, reader=dict)


def session_live(request, pk, screen=False):
    session = _session(request, pk)
    snapshot = selectors.session_snapshot(session, request.user)
    template = "deliberation/screen.html" if screen else "deliberation/session.html"
    return render(
        request,
        template,
        {
            "session": session,
            "snapshot": snapshot,
            "labels": _labels(),
            "items": session.items.select_related("proposal"),
            "has_minutes": Minutes.objects.filter(session=session).exists(),
            "may_publish": request.user.has_perm("deliberation.publish_minutes", session),
        },
    )


def session_screen(request, pk):
    return session_live(request, pk, screen=True)


def _first_error(form) -> str | None:
    """The form's first refusal, for the pages that show one message above the form."""
    for errors in form.errors.values():
        return str(errors[0])
    return None


def session_minutes(request, pk):
    # Published minutes are the same for everyone who may watch the session: kept, the whole page for
    # visitors. A draft (not yet published) is the chair's and organisers' page: never kept.
    part = pagecache.Part(
        "minutes", pages.minutes_scopes(pk), (pk,), lambda: {"minutes": selectors.minutes(session)}, request=request
    )
    if kept := pagecache.kept_page(request, part):
        return kept
    session = _session(request, pk)
    published = Minutes.objects.filter(session=session).select_related("published_by").first()
    may_publish = request.user.has_perm("deliberation.publish_minutes", session)
    if not published and not may_publish:
        raise Http404
    if not published:
        part = pagecache.Part("minutes", [], (pk,), lambda: {"minutes": selectors.minutes(session)}, cache=False)
    form = MinutesForm(request.POST if request.method == "POST" and may_publish else None)
    if submit(form, lambda data: services.minutes_publish(actor=request.user, session=session, **data)):
        messages.success(request, _("The minutes are published."))
        return redirect("deliberation:session-minutes", pk=session.pk)
    context = {
        "session": session,
        "part": part,
        "published": published,
        "may_publish": may_publish and not published,
        "error": _first_error(form),
    }
    return pagecache.whole_page(request, part, lambda: render(request, "deliberation/minutes.html", context))


@login_required
def council_new(request):
    area = Area.objects.filter(code=request.GET.get("area") or request.POST.get("area") or "").first()
    if area is None or not request.user.has_perm("deliberation.manage_council", area):
        raise NotAllowed("not_allowed", _("Only organisers and officials of this area can set up a council."))
    form = CouncilForm(request.POST if request.method == "POST" else None)
    done = submit(
        form,
        lambda data: services.council_create(
            actor=request.user, area=area, name=data["name"], preset=data["preset"] or RulePreset.NANTANG
        ),
    )
    if done:
        return redirect("deliberation:council-detail", pk=done.value.pk)
    return render(
        request,
        "deliberation/council_new.html",
        {"area": area, "error": _first_error(form), "presets": RulePreset.choices},
    )


def _seat(actor, council, data) -> CouncilMember:
    person = User.objects.filter(email__iexact=data["email"].strip(), is_active=True).first()
    if person is None:
        raise InvalidInput("person_unknown", _("Nobody with this e-mail address is registered on the platform."))
    return services.council_member_add(actor=actor, council=council, user=person)


def _schedule(actor, council, qualified, form: SessionForm, data) -> Session:
    picked = form.proposal_order([p for p in qualified if p.pk in set(data["proposal"])])
    lines = [line.strip() for line in data["free_items"].splitlines() if line.strip()]
    return services.session_schedule(
        actor=actor,
        council=council,
        title=data["title"],
        starts_at=data["starts_at"],
        place=data["place"],
        public=data["public"],
        items=[("", p, 20) for p in picked] + [(line, None, 15) for line in lines],
    )


def _council_context(council) -> dict:
    """What everyone signed in sees of a council's page (its cached parts)."""
    return {
        "members": council.members.select_related("user", "organisation").only(
            "user__display_name", "organisation__name"
        ),
        "sessions": council.sessions.only("id", "title", "starts_at", "phase").order_by("-starts_at", "-id")[:20],
    }


@login_required
def council_detail(request, pk):
    from proposals.models import Proposal

    # The parts' versions first, then the council: what is kept is never older than its versions. Signed-in
    # readers share one rendering; organisers and officials (anywhere: their forms and agenda links) and
    # administrators get theirs rendered.
    part = pagecache.Part(
        "council",
        pages.council_scopes(pk),
        (pk,),
        lambda: _council_context(council),
        request=request,
        signed_in_page=True,
    )
    reader = lambda: None if _manages_boxes(request.user) else {}  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    council = get_object_or_404(Council.objects.select_related("area"), pk=pk)
    manage = request.user.has_perm("deliberation.manage_council", council.area)
    qualified = (
        list(Proposal.objects.filter(area_path__startswith=council.area.path, state="qualified")) if manage else []
    )
    error = None
    if request.method == "POST" and manage:
        which = request.POST.get("form")
        if which == "member":
            form = CouncilMemberForm(request.POST)
            seated = submit(form, lambda data: _seat(request.user, council, data))
            if seated:
                messages.success(request, _("%(person)s has a seat now.") % {"person": seated.value.user.public_name})
                return redirect("deliberation:council-detail", pk=council.pk)
        elif which == "session":
            form = SessionForm(request.POST, proposal_ids=[p.pk for p in qualified])
            scheduled = submit(form, lambda data: _schedule(request.user, council, qualified, form, data))
            if scheduled:
                return redirect("deliberation:session-live", pk=scheduled.value.pk)
        else:
            return redirect("deliberation:council-detail", pk=council.pk)
        error = _first_error(form)
    page = lambda: render(  # noqa: E731
        request,
        "deliberation/council.html",
        {"council": council, "part": part, "manage": manage, "error": error, "qualified": qualified},
    )
    return pagecache.whole_page(request, part, page, reader)


@login_required
def council_rules(request, pk):
    """The council's rules of order, for its organisers: chosen here, frozen by each session as it opens."""
    council = get_object_or_404(Council.objects.select_related("area"), pk=pk)
    if not request.user.has_perm("deliberation.manage_council", council.area):
        raise NotAllowed("not_allowed", _("Only organisers and officials of this area can change the council's rules."))
    rules = procedure.rules_from_preset(council.preset, council.overrides)
    form = CouncilRulesForm(
        request.POST if request.method == "POST" else None,
        initial={"preset": council.preset, **CouncilRulesForm.initial_for(rules)},
    )
    done = submit(
        form,
        lambda data: services.council_rules_set(
            actor=request.user, council=council, preset=data["preset"], overrides=form.overrides()
        ),
    )
    if done:
        messages.success(request, _("The council's rules are saved. Sessions that open from now on follow them."))
        return redirect("deliberation:council-detail", pk=council.pk)
    return render(
        request,
        "deliberation/council_rules.html",
        {"council": council, "form": form},
        status=done.status if form.is_bound else 200,
    )


@login_required
def session_agenda(request, pk):
    """The order of a session's agenda, set by its organisers before the session opens."""
    session = get_object_or_404(Session.objects.select_related("council__area"), pk=pk)
    if not request.user.has_perm("deliberation.manage_council", session.council.area):
        raise NotAllowed("not_allowed", _("Only organisers and officials of this area can set the agenda."))
    items = list(session.items.order_by("position"))
    form = AgendaOrderForm(request.POST if request.method == "POST" else None, items=items)
    done = submit(
        form, lambda data: services.session_agenda_order(actor=request.user, session=session, order=form.order())
    )
    if done:
        messages.success(request, _("The agenda is in its new order."))
        return redirect("deliberation:session-agenda", pk=session.pk)
    return render(
        request,
        "deliberation/agenda.html",
        {"session": session, "form": form, "fixed": session.phase != "scheduled", "error": _first_error(form)},
        status=done.status if form.is_bound else 200,
    )
