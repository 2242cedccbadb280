"""HTML pages of the civic core, one module per concern: parse (a form), call a service or selector, render.

Rules live in services; `civic/urls.py` names the pages through this package."""

from .areas import *  # noqa: F403
from .assisted import *  # noqa: F403
from .audit import *  # noqa: F403
from .display import *  # noqa: F403
from .media import *  # noqa: F403
from .moderation import *  # noqa: F403
from .notices import *  # noqa: F403
from .notifications import *  # noqa: F403
from .organisations import *  # noqa: F403
from .people import *  # noqa: F403
from .verification import *  # noqa: F403
