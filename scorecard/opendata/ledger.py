"""Open data: the ledger, exactly as the public ledger's own export writes it, so both always agree."""

from django.utils.translation import gettext_lazy as _

from funding.selectors.ledger import EXPORT_FIELDS, entries_for_export
from funding.selectors.ledger import export_row as ledger_export_row

from .core import Dataset, Field

# The rows are the public ledger's export rows (`adapt`): each field reads the export's key of its name.
LEDGER = Dataset(
    name="ledger",
    title=_("Ledger entries"),
    description=_(
        "The append-only money ledger of the area's projects, in signed yuan: commitments, receipts, awards, "
        "advances, settlements and recoveries. A correction is a new entry with the opposite amount."
    ),
    fields=(
        Field("id", "integer", _("Number of the entry."), "904"),
        Field("recorded_at", "datetime", _("When it was recorded."), "2026-07-15T10:02:11.402000+08:00"),
        Field("project_id", "integer", _("Project (see the projects dataset)."), "56"),
        Field("project_title", "text", _("Title of that project."), "3 栋楼道灯更换"),
        Field(
            "area_code",
            "text",
            _("Area charged: the project's area for commitments and receipts, the policy area otherwise."),
            "990102",
        ),
        Field("year", "integer", _("Year charged."), "2026"),
        Field(
            "kind",
            "text",
            _("commitment, receipt, award, advance, settlement, recovery_due or recovery."),
            "advance",
        ),
        Field("amount", "money", _("Amount in yuan; negative for a correction."), "10485.00"),
        Field("condition", "text", _("For an advance: start, midpoint or completion."), "start"),
        Field("reverses_id", "integer", _("Entry this one corrects, if any."), ""),
        Field("memo", "text", _("Memo."), "开工预付"),
        Field(
            "prev_hash",
            "text",
            _("Hash of the entry before it in the ledger's chain (64 zeros for the first entry)."),
            "9f2c…e41a",
        ),
        Field(
            "entry_hash",
            "text",
            _("SHA-256 of this entry's content and prev_hash: recompute it to check the entry (docs/subsidy.md)."),
            "4b7d…0c93",
        ),
    ),
    records=lambda area: entries_for_export(area=area),
    shape="as_is",
    adapt=ledger_export_row,
)


def ledger_fields_agree() -> bool:
    """The ledger dataset documents exactly the fields the public ledger's export writes."""
    return LEDGER.field_names == list(EXPORT_FIELDS)
