"""Every write of the deliberation stage: ballot boxes (`ballots`) and councils with their live sessions
(`sessions`). Callers import from the package; the modules are the rooms."""

from .ballots import *  # noqa: F403
from .sessions import *  # noqa: F403
