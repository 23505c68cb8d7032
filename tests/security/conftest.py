"""The security suites' world: built once per module inside a transaction that is rolled back."""

import pytest
from django.db import transaction

from .world import SecurityWorld


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield SecurityWorld()
        transaction.set_rollback(True)
