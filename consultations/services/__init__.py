"""Every write of consultations, one module per concern: keyword-only, one transaction each, DomainError on
a broken rule. Callers import from the package (`from consultations import services`)."""

from .answers import *  # noqa: F403
from .consultations import *  # noqa: F403
from .opinions import *  # noqa: F403
from .questions import *  # noqa: F403
from .results import *  # noqa: F403
