"""Settings for the test suite: the embedded or environment settings, with a fast password hasher
(the default one costs ~0.3 s per hash, which would dominate the suite). The browser tests' server
subprocess inherits DJANGO_SETTINGS_MODULE, so it verifies these hashes too."""

from . import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
