"""Every write of the civic core, one module per concern: keyword-only, one transaction each, DomainError on
a broken rule. Permission checks use the django-rules permissions of civic/rules.py (through
`require_perm`), so pages, API and WebSocket consumers enforce the same thing.

Other apps import from the package (`from civic.services import audit_record, notify`)."""

from .areas import *  # noqa: F403
from .assisted import *  # noqa: F403
from .audit import *  # noqa: F403
from .moderation import *  # noqa: F403
from .notices import *  # noqa: F403
from .notifications import *  # noqa: F403
from .organisations import *  # noqa: F403
from .people import *  # noqa: F403
from .permissions import holds_perm, require_perm  # noqa: F401
from .roles import *  # noqa: F403
from .verification import *  # noqa: F403
