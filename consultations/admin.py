from django.contrib import admin

from .models import Consultation, Opinion


class ReadOnly(admin.ModelAdmin):
    """Read-only here: consultations and opinions change only through their services (audited, on the
    timeline, with their guards)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnly):
    list_display = ["title", "state", "kind", "area", "opens_at", "closes_at", "answer_due", "opinion_count"]
    list_filter = ["state", "kind", "participation"]
    search_fields = ["title"]
    list_select_related = ["area"]


@admin.register(Opinion)
class OpinionAdmin(ReadOnly):
    list_display = ["__str__", "consultation", "source", "classification", "created_at", "is_hidden"]
    list_filter = ["source", "classification", "is_hidden"]
    list_select_related = ["consultation"]
    raw_id_fields = ["consultation", "unit", "author", "organisation", "symposium", "group"]
