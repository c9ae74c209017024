"""Test settings: production settings with fast hashing, immediate tasks and a fixed test key."""

import os

os.environ.setdefault("HAVEN_DEBUG", "0")
os.environ.setdefault("HAVEN_SECRET_KEY", "haven-test-secret-key-not-for-production")
# A fixed, synthetic master key so test runs are reproducible; never a real deployment's key.
os.environ.setdefault("HAVEN_MASTER_KEY", "dGVzdC1tYXN0ZXIta2V5LW5vdC1mb3ItcmVhbC11c2U=")
os.environ.setdefault("HAVEN_SECURE_COOKIES", "0")

from haven.settings import *  # noqa: F403
from haven.settings import DATABASES

# Argon2 is the production hasher (tested in accounts/tests/test_password_hashing.py); personas are
# created in every test, and Argon2's deliberate cost would dominate the suite.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
# Tests never reach a messaging provider: outbound messages go to the recording double.
HAVEN_CHANNEL_SENDERS = "recording"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": ""}
else:
    # Tests that commit (live server, transactional tests) would otherwise wait for each commit to reach
    # the disk; a crash of a throwaway test database loses nothing worth that wait.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# Each test process keeps its cache in memory; the shared caches are tested by the processes of
# haven/faults/tests/test_web_processes_share_state.py, which run with the production settings.
if not os.environ.get("HAVEN_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Every API test is also a test that answers carrying what was read of a file are audited reads.
MIDDLEWARE = [*MIDDLEWARE, "haven.privacy.tripwire.AuditedAnswerTripwire"]  # noqa: F405
