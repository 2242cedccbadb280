from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import (
    Area,
    AreaRole,
    AuditEntry,
    CalendarDay,
    Membership,
    ModerationCase,
    Organisation,
    ResidencyVerification,
    User,
)
from .services import AREA_CSV_COLUMNS, area_import_csv


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "date_joined"]
    search_fields = ["email", "display_name"]
    list_filter = ["is_active", "is_staff"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": ["display_name", "phone", "preferred_language", "bio", "is_hidden", "anonymised_at"]},
        ),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})]
    readonly_fields = ["anonymised_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # people are deactivated and anonymised, never deleted


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8, header: %(header)s") % {"header": ",".join(AREA_CSV_COLUMNS)}
    )


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth"]
    list_select_related = ["parent"]
    change_list_template = "admin/civic/area/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_csv), name="civic_area_import"),
            *super().get_urls(),
        ]

    def import_csv(self, request):
        form = AreaImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = area_import_csv(actor=request.user, data=form.cleaned_data["file"].read())
            except DomainError as error:
                form.add_error("file", str(error.message))
            else:
                messages.success(
                    request,
                    _("%(created)s areas created, %(unchanged)s already present.") % result,
                )
                return redirect("admin:civic_area_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import areas from CSV"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/civic/area/import.html", context)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_code", "confirmed_at"]
    list_filter = ["kind"]
    search_fields = ["name", "credit_code"]
    inlines = [MembershipInline]


@admin.register(AreaRole)
class AreaRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "area", "role", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "area", "granted_by"]


@admin.register(ResidencyVerification)
class ResidencyVerificationAdmin(admin.ModelAdmin):
    list_display = ["user", "cell", "status", "created_at", "decided_by", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "cell", "decided_by"]
    # The proof is private: it opens through the page that checks permission, never a storage URL.
    exclude = ["proof"]
    readonly_fields = ["status", "decided_by", "decided_at", "expires_at", "ended_at", "proof_link"]

    def has_add_permission(self, request):
        return False  # requests come from residents; decisions go through the review page

    @admin.display(description=_("proof of residence"))
    def proof_link(self, obj):
        if not obj.proof:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("civic:verification-proof", args=[obj.pk]), _("Open the proof")
        )


@admin.register(ModerationCase)
class ModerationCaseAdmin(admin.ModelAdmin):
    list_display = ["content_type", "object_id", "status", "report_count", "decided_at"]
    list_filter = ["status", "content_type"]
    readonly_fields = [f.name for f in ModerationCase._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log can be browsed, never changed."""

    list_display = ["created_at", "actor", "action", "object_repr", "area"]
    list_filter = ["action"]
    search_fields = ["action", "object_repr", "actor__email"]
    list_select_related = ["actor", "area"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        from .workdays import bump_calendar

        bump_calendar()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        from .workdays import bump_calendar

        bump_calendar()
