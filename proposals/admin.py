from django.contrib import admin

from .models import AreaPolicy, Category, Proposal


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(AreaPolicy)
class AreaPolicyAdmin(admin.ModelAdmin):
    list_display = ["area", "endorsement_threshold", "collection_days", "response_working_days"]
    raw_id_fields = ["area"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Read-only here: proposals change state only through their services (audited, on the timeline)."""

    list_display = ["title", "state", "area", "category", "endorsement_count", "published_at", "response_due"]
    list_filter = ["state", "category", "channel"]
    search_fields = ["title"]
    list_select_related = ["area", "category"]
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
