from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from civic.errors import DomainError
from civic.models import Area

from .models import BallotBox, BoxKind, BoxState, Council
from .pabulib import PabulibError
from .selectors import pb_export, with_turnout
from .services import pb_import


class PbImportForm(forms.Form):
    file = forms.FileField(label=_("pabulib .pb file"))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.exclude(level="grid").order_by("path"))


@admin.register(BallotBox)
class BallotBoxAdmin(admin.ModelAdmin):
    """Read-only: boxes change through their services. Import and export of open .pb data are here."""

    list_display = ["title", "kind", "area", "state", "opens_at", "closes_at", "ballots_cast", "imported"]
    list_filter = ["kind", "state", "imported"]
    search_fields = ["title"]
    list_select_related = ["area"]
    readonly_fields = [f.name for f in BallotBox._meta.fields]
    change_list_template = "admin/deliberation/ballotbox/change_list.html"
    actions = ["export_pb"]

    def get_queryset(self, request):
        return with_turnout(super().get_queryset(request))

    @admin.display(description=_("ballots cast"))
    def ballots_cast(self, box) -> int:
        return box.turnout_now  # the online ballots' shares too, read with the list

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_pb), name="deliberation_ballotbox_import"),
            *super().get_urls(),
        ]

    def import_pb(self, request):
        form = PbImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                box = pb_import(
                    data=form.cleaned_data["file"].read(), area=form.cleaned_data["area"], actor=request.user
                )
            except PabulibError as error:
                form.add_error("file", str(error))
            else:
                messages.success(
                    request, _("Imported as box %(id)s with %(n)s ballots.") % {"id": box.pk, "n": box.turnout}
                )
                return redirect("admin:deliberation_ballotbox_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import a .pb election"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/deliberation/ballotbox/import.html", context)

    @admin.action(description=_("Export as a .pb file"))
    def export_pb(self, request, queryset):
        boxes = list(queryset.filter(kind=BoxKind.BUDGET, state=BoxState.TALLIED)[:2])
        if len(boxes) != 1:
            self.message_user(request, _("Choose one counted participatory budget."), level=messages.ERROR)
            return None
        response = HttpResponse(pb_export(boxes[0]), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="ballot-{boxes[0].pk}.pb"'
        return response


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "area", "preset", "overrides"]
        help_texts = {
            "overrides": _(
                'Adjustments to the preset, e.g. {"speech_seconds": 180, "speeches_per_member": 3, '
                '"quorum_kind": "share", "quorum_value": "2/3", "secret_votes": true, "chair_mode": "outside", '
                '"thresholds": {"main": "majority_present", "previous_question": "two_thirds_members"}}. '
                "The chair: member, casting or outside. Thresholds: majority_cast, majority_present, "
                "majority_members, two_thirds_cast, two_thirds_present, two_thirds_members."
            )
        }

    def clean(self):
        """The same check as the council's settings page and the API (services.council_rules_checked)."""
        from .services import council_rules_checked

        cleaned = super().clean()
        if "overrides" in cleaned and cleaned.get("preset"):
            try:
                cleaned["overrides"] = council_rules_checked(preset=cleaned["preset"], overrides=cleaned["overrides"])
            except DomainError as error:
                self.add_error("overrides", str(error))
        return cleaned


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    form = CouncilForm
    list_display = ["name", "area", "preset"]
    list_select_related = ["area"]
    raw_id_fields = ["area"]
