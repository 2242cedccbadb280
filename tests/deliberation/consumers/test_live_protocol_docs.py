"""docs/live-protocol.md documents every event type with exactly the fields of its schema, and every
command with its fields; nothing is documented that does not exist."""

import re
from pathlib import Path

from deliberation import commands, events

DOC = (Path(__file__).resolve().parents[3] / "docs" / "live-protocol.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = DOC.index(f"## {title}\n")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end != -1 else None]


def _table(title: str) -> dict[str, set[str]]:
    """First column (a name in backticks) → the names in backticks of the second column."""
    rows = {}
    for line in _section(title).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"`\w+`", cells[0]):
            rows[cells[0].strip("`")] = set(re.findall(r"`(\w+)`", cells[1]))
    return rows


def test_every_event_type_is_documented_with_its_fields_and_nothing_else():
    documented = _table("Events")
    assert set(documented) == set(events.EVENTS)
    for kind, fields in events.EVENTS.items():
        assert documented[kind] == set(fields), kind


def test_every_command_is_documented_with_its_fields_and_nothing_else():
    documented = _table("Commands")
    assert set(documented) == set(commands.SCHEMA)
    for kind, fields in commands.SCHEMA.items():
        assert documented[kind] == set(fields), kind


def test_the_threshold_field_lists_every_threshold_the_engine_knows():
    from deliberation import procedure

    for kind in ("vote_closed", "result_announced"):
        row = next(line for line in _section("Events").splitlines() if line.startswith(f"| `{kind}` |"))
        notes = row.strip().strip("|").split("|")[2]
        assert set(procedure.Threshold) <= set(re.findall(r"\b[a-z_]+\b", notes)), kind


def test_the_engines_conflict_codes_named_in_the_errors_section_are_409():
    from civic.errors import status_for

    errors = _section("Errors")
    for code in ("not_pending_question", "ruling_pending", "speakers_waiting", "no_quorum"):
        assert f"`{code}`" in errors and status_for(code) == 409
    for code in ("chair_only", "not_a_member"):
        assert f"`{code}`" in errors and status_for(code) == 403
