"""An object's history page (/core/history/<type>/<id>/) for every kind of record."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from core.models import ExportJob

from ..registry.factories import make_organization

pytestmark = pytest.mark.django_db


def test_an_export_jobs_history_is_not_a_page(places, users, client_for, settings):
    """Export jobs are read through their owner alone, never `restrict()`: their history is 404
    for everyone (it was a 500), their owner included."""
    settings.EXPORT_SYNC_MAX_ROWS = 0
    make_organization(places.community11)
    client = client_for("bureau_admin")
    assert client.get(reverse("registry:organization_list"), {"export": "xlsx"}).status_code == 302
    job = ExportJob.objects.get(owner=users["bureau_admin"])
    content_type = ContentType.objects.get_for_model(ExportJob)
    for name in ("bureau_admin", "bureau_viewer"):
        for object_id in (job.pk, job.pk + 1000):
            response = client_for(name).get(reverse("core:object_history", args=[content_type.pk, object_id]))
            assert response.status_code == 404, (name, object_id)
