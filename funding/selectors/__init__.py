"""Reading funding data; every function answers in a fixed number of queries. Split by subject."""

from .ledger import (  # noqa: F401
    area_charges,
    area_ledger,
    area_year_balances,
    area_year_balances_many,
    chain_head,
    entries_for_export,
    ledger_entries,
    ledger_page,
    ledger_years,
    project_balances,
    project_money_many,
)
from .policy import policy_in_force, policy_versions  # noqa: F401
