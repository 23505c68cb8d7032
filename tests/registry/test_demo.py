"""The registry's demo data: every legal form and status, the demo org account linked. (Idempotence:
tests/core/test_frame.py runs seed_demo a second time and finds no row of any table changed.)"""

from accounts.models import User
from registry.choices import LegalForm, OrganizationStatus
from registry.models import Application, Organization


def test_seed_demo_registry_is_complete(seeded_demo):
    assert set(Organization.objects.values_list("legal_form", flat=True)) == set(LegalForm.values)
    assert set(Organization.objects.values_list("status", flat=True)) == set(OrganizationStatus.values)
    streets = {org.region.code[:9] for org in Organization.objects.select_related("region")}
    # Every street of 西湖区, and two of the small second district 滨江区 under the same city.
    assert streets == {"330106001", "330106002", "330106003", "330108001", "330108002"}
    org_user = User.objects.get(username="org")
    assert org_user.organization_membership.organization.region.code == "330106001002"
    assert set(Application.objects.values_list("state", flat=True)) == {"street_review", "bureau_review", "returned"}
