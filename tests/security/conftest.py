"""The security suites' world: built once for the package (the matrix and the API fuzz share it; under
pytest-xdist once per worker) inside a transaction that is rolled back. Each test runs in a
transaction of its own inside it (pytest-django's), so what one test writes the next does not see."""

import pytest
from django.db import transaction

from .world import SecurityWorld


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield SecurityWorld()
        transaction.set_rollback(True)
