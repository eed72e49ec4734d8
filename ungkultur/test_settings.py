"""Settings for the test suite: the same as production code sees, with fast hashing and
tasks that run at once (the durable worker has its own test in core/tests)."""

from ungkultur.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
# Off for the suite, whose national personas log in without a second factor; the tests of
# two-factor login turn it on (ungkultur/identity/tests/test_two_factor.py).
UNGKULTUR_TWO_FACTOR_REQUIRED = False
