"""Every write of the deliberation stage: ballot boxes (`ballots`) and councils with their live sessions
(`sessions`). Callers import from the package; the modules are the rooms."""

from .ballots import *  # noqa: F403
from .ballots import _validate_choices  # noqa: F401  (read by the ballot page; to become a selector)
from .sessions import *  # noqa: F403
