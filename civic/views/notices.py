"""Outcome notice pages: the public list, one notice, the Atom feed, and the officials' publishing form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import pagecache, pages, selectors, services
from ..errors import DomainError
from ..forms import submit
from ..models import Area, OutcomeNotice
from ..paging import bounded_page
from ..registry import NOTICE_OTHER, notice_kind_choices

__all__ = ["notice_detail", "notice_feed", "notice_list", "notice_new"]

PER_PAGE = 20
FEED_ITEMS = 30
HIDDEN_FIELDS = ("source_key", "corrects")


class NoticeForm(forms.Form):
    """A new notice; opened from a waiting decision, its source fields come filled in."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of decision"), choices=notice_kind_choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    body = forms.CharField(
        label=gettext_lazy("Text of the notice"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    decided_at = forms.DateTimeField(
        label=gettext_lazy("Decision taken on"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=gettext_lazy("When the source is a decision on the platform, its own record gives the time."),
    )
    source_url = forms.CharField(
        label=gettext_lazy("Source page (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("A page of this site, such as /proposals/12/."),
    )
    source_key = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def initial_for(cls, decision=None, corrected=None) -> dict:
        if decision is not None:
            return {
                "kind": decision.kind,
                "title": decision.title,
                "body": decision.summary,
                "decided_at": timezone.localtime(decision.decided_at),
                "source_url": decision.source_url,
                "source_key": decision.source_key,
            }
        if corrected is not None:
            return {
                "kind": corrected.kind,
                "title": _short_title(_("Correction: %(title)s") % {"title": corrected.title}),
                "body": corrected.body,
                "decided_at": timezone.localtime(corrected.decided_at),
                "source_url": corrected.source_url,
                "source_key": corrected.source_key,
                "corrects": corrected.pk,
            }
        return {"kind": NOTICE_OTHER}


def _short_title(title: str) -> str:
    return title if len(title) <= 120 else title[:119] + "…"


def _kind(request) -> str | None:
    kind = request.GET.get("kind") or None
    return kind if kind in selectors.notice_kinds() else None


def _board(area, kind, number) -> dict:
    """What every visitor sees of an area's notice board (its cached part)."""
    from ..registry import NOTICE_DEADLINE_CHANGES

    now = timezone.now()
    notices = selectors.notices_for_area(area, kind=kind).select_related(None).select_related("area", "corrects")
    page = bounded_page(notices.defer("body", "corrects__body"), number, PER_PAGE)
    page.object_list = selectors.published_within_deadline(page.object_list, now)
    changes = [moment for changes_at in NOTICE_DEADLINE_CHANGES if (moment := changes_at(now)) is not None]
    return {
        "page": page,
        "kinds": notice_kind_choices(),
        "query": urlencode({"kind": kind}) if kind else "",
        "valid_until": min(changes, default=None),
    }


def notice_list(request, code):
    """Every notice of the area and below, newest first; officials also see what still waits."""
    kind = _kind(request)
    number = request.GET.get("page")
    # The board's versions first, then the area: what is kept is never older than its versions.
    part = pagecache.Part(
        "notices",
        pages.notice_scopes(code),
        (code, kind or "", number or ""),
        lambda: _board(area, kind, number),
        request=request,
        signed_in_page=True,
    )
    user = request.user
    # Only officials (and administrators) may publish: their board, with the decisions waiting, is theirs.
    # Anyone else shares one rendering with every signed-in reader (nothing personal but the header).
    official = lambda: user.is_authenticated and pagecache.person(request)["official"]  # noqa: E731
    reader = lambda: None if official() else {}  # noqa: E731
    if kept := pagecache.kept_page(request, part, reader):
        return kept
    area = get_object_or_404(Area.objects.only("id", "code", "name", "path"), code=code)
    can_publish = bool(official()) and user.has_perm("civic.publish_notice", area)
    waiting = selectors.unpublished_decisions(area) if can_publish else None
    context = {
        "area": area,
        "part": part,
        "kind": kind,
        "can_publish": can_publish,
        "waiting": waiting,
        "overdue_count": sum(1 for d in waiting if d.overdue) if waiting else 0,
    }
    return pagecache.whole_page(request, part, lambda: render(request, "civic/notices/list.html", context), reader)


def notice_new(request, code):
    """The publishing form of an area's officials, filled from a waiting decision or a notice to correct."""
    area = get_object_or_404(Area, code=code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    services.require_perm(
        request.user,
        "civic.publish_notice",
        area,
        _("Only an official of this area or above can publish its notices."),
    )
    decision = corrected = None
    source_key = request.GET.get("source_key", "")
    if source_key:
        decision = selectors.decision_for_key(source_key, area)
    corrects_id = request.POST.get("corrects") or request.GET.get("corrects") or ""
    if corrects_id.isascii() and corrects_id.isdigit():  # not "²", which isdigit() but int() refuses
        corrected = OutcomeNotice.objects.filter(pk=int(corrects_id), area=area).first()
    form = NoticeForm(
        request.POST if request.method == "POST" else None, initial=NoticeForm.initial_for(decision, corrected)
    )

    def publish(data):
        try:
            return services.notice_publish(
                actor=request.user,
                area=area,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                source_url=data["source_url"],
                source_key=data["source_key"],
                decided_at=data["decided_at"],
                corrects=data["corrects"],
            )
        except DomainError as error:
            if error.field in HIDDEN_FIELDS:  # shown above the form: a hidden field shows no error
                error.field = None
            raise

    if published := submit(form, publish):
        messages.success(request, _("The notice is published."))
        return redirect(published.value)
    return render(
        request,
        "civic/notices/new.html",
        {
            "area": area,
            "form": form,
            "decision": decision,
            "corrected": corrected,
            "unknown_source": bool(source_key) and decision is None,
        },
    )


def notice_detail(request, pk):
    notice = selectors.notice_detail(pk)
    if notice is None:
        return render(request, "404.html", status=404)
    selectors.published_within_deadline([notice])
    corrections = list(notice.corrections.all())
    return render(
        request,
        "civic/notices/detail.html",
        {
            "notice": notice,
            "area": notice.area,
            "corrections": corrections,
            "can_correct": not corrections and request.user.has_perm("civic.publish_notice", notice.area),
        },
    )


class AreaNoticesFeed(Feed):
    """The latest notices of an area and below, as Atom, for readers and other sites."""

    feed_type = Atom1Feed

    def get_object(self, request, code):
        return get_object_or_404(Area, code=code)

    def title(self, area):
        return _("Notices of %(area)s") % {"area": area.name}

    def subtitle(self, area):
        return _("Decisions published by the officials of %(area)s and the areas under it.") % {"area": area.name}

    def link(self, area):
        return reverse("civic:notice-list", args=[area.code])

    def items(self, area):
        return selectors.notices_for_area(area)[:FEED_ITEMS]

    def item_title(self, notice):
        return f"[{notice.get_kind_display()}] {notice.title}"

    def item_description(self, notice):
        text = linebreaks(notice.body, autoescape=True)
        if notice.corrects is not None:
            note = _("This is a correction of “%(title)s”.") % {"title": notice.corrects.title}
            text = f"<p>{escape(note)}</p>{text}"
        return text

    def item_link(self, notice):
        return notice.get_absolute_url()

    def item_pubdate(self, notice):
        return notice.published_at

    def item_updateddate(self, notice):
        return notice.published_at

    def item_author_name(self, notice):
        return notice.published_by.public_name

    def item_categories(self, notice):
        return [notice.get_kind_display()]


notice_feed = AreaNoticesFeed()
