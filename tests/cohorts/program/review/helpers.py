"""What the tests of the coordinators' application screens share besides their fixtures: the
screens' addresses and the listing's export."""

from django.urls import reverse

INDEX = "cohorts_application:index"
INSPECT = "cohorts_application:inspect"


def export(client, export_format: str, **params) -> bytes:
    """The application listing exported as ``export_format`` ("csv" or "xlsx") under
    ``params``."""
    response = client.get(reverse(INDEX), {**params, "export": export_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def view_only_reader():
    """A user of the admin who may view applications and nothing more."""
    from django.contrib.auth.models import Group, Permission

    from tests.factories import member

    group = Group.objects.create(name="Readers")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_application"),
    )
    return member(groups=["Readers"])
