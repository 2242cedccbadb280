"""Every code the engine raises has its status in the one map (civic.errors), and the map names no code
that nothing raises."""

import re
from pathlib import Path

from civic.errors import CODE_STATUS, status_for
from deliberation import procedure

ENGINE = Path(procedure.engine.__file__).read_text(encoding="utf-8")
ENGINE_CODES = set(re.findall(r'_err\(\s*"(\w+)"', ENGINE))
SCHEMA_CODES = {"command_invalid", "unknown_command"}


def test_the_engine_raises_codes_the_map_knows():
    assert len(ENGINE_CODES) > 40
    assert {code: status_for(code) for code in ["chair_only", "not_a_member", "choice_invalid", "no_quorum"]} == {
        "chair_only": 403,
        "not_a_member": 403,
        "choice_invalid": 400,
        "no_quorum": 409,
    }
    assert all(status_for(code) in (400, 403, 409) for code in ENGINE_CODES)


def test_the_map_names_only_codes_that_are_raised():
    assert set(CODE_STATUS) <= ENGINE_CODES | SCHEMA_CODES
