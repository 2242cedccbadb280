"""Reads of the civic core that are more than a `get`, one module per concern: visibility per user,
lists without N+1. Other apps import from the package (`from civic.selectors import is_eligible`)."""

from .areas import *  # noqa: F403
from .assisted import *  # noqa: F403
from .audit import *  # noqa: F403
from .moderation import *  # noqa: F403
from .notices import *  # noqa: F403
from .notifications import *  # noqa: F403
from .organisations import *  # noqa: F403
from .people import *  # noqa: F403
from .roles import *  # noqa: F403
from .timeline import *  # noqa: F403
from .verification import *  # noqa: F403
