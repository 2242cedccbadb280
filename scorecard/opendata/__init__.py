"""Open data: the datasets anyone may download for an area (and everything under it) or the whole city.

One module per dataset declares its fields (`core.Field`): name, type, meaning, example and where the value
comes from in a record. The query's columns, the rows, the documentation page and docs/open-data.md are all
derived from that one declaration, so they cannot drift apart. Each dataset reads its records with one query
per chunk of rows (plus a fixed few per chunk where it needs a second table).

What is never exported: e-mail addresses, phone numbers, residency verification (addresses, cells, proofs),
who endorsed, voted or rated what, drafts and anything hidden by moderation. People appear only by the
public display name the platform already shows next to what they did in public (an author, an official).
"""

from django.utils.translation import override

from civic.models import Area

from .answers import ANSWERS
from .awards import AWARDS
from .ballots import BALLOTS, budget_ballots
from .casework import REPORT_RATES, REPORTS
from .consultations import CONSULTATION_OPINIONS, CONSULTATIONS
from .core import CHUNK, TYPES, Dataset, Field, csv_cells, format_value, json_row, public_name
from .decisions import DECISIONS
from .ledger import LEDGER, ledger_fields_agree
from .notices import NOTICES
from .projects import PROJECTS
from .proposals import PROPOSALS, public_proposals

__all__ = [
    "ANSWERS",
    "AWARDS",
    "BALLOTS",
    "CHUNK",
    "CONSULTATIONS",
    "CONSULTATION_OPINIONS",
    "DATASETS",
    "DECISIONS",
    "LEDGER",
    "NOTICES",
    "PROJECTS",
    "PROPOSALS",
    "REPORTS",
    "REPORT_RATES",
    "TYPES",
    "Dataset",
    "Field",
    "budget_ballots",
    "csv_cells",
    "dataset",
    "fields_markdown",
    "filename",
    "format_value",
    "json_row",
    "ledger_fields_agree",
    "public_name",
    "public_proposals",
]

# The registry: every dataset, in the order the page, the API and the documentation list them.
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        PROPOSALS,
        ANSWERS,
        DECISIONS,
        BALLOTS,
        PROJECTS,
        AWARDS,
        LEDGER,
        NOTICES,
        CONSULTATIONS,
        CONSULTATION_OPINIONS,
        REPORTS,
        REPORT_RATES,
    )
}


def dataset(name: str) -> Dataset | None:
    return DATASETS.get(name)


def filename(area: Area | None, name: str, fmt: str) -> str:
    return f"{area.code if area else 'city'}-{name}.{fmt}"


# --- documentation ---------------------------------------------------------------------------------------------


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def fields_markdown() -> str:
    """The field tables of docs/open-data.md, generated from the definitions (in English)."""
    out = []
    with override(None):
        for d in DATASETS.values():
            out.append(f"### `{d.name}`: {d.title}\n")
            out.append(f"{d.description}\n")
            out.append("| Field | Type | Meaning | Example |")
            out.append("|---|---|---|---|")
            for f in d.fields:
                example = f"`{_cell(f.example)}`" if f.example else ""
                out.append(f"| `{f.name}` | {f.type} | {_cell(f.meaning)} | {example} |")
            out.append("")
    return "\n".join(out)
