"""The roster screens in the Wagtail admin: the listing, and upload → preview → confirm."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from members.models import MemberRoster
from members.services.roster import (
    BAD_DATE,
    BAD_EMAIL,
    CONTROL_CHARACTER,
    DUPLICATE_EMAIL,
    DUPLICATE_NUMBER,
    EMAIL_TAKEN,
    LOOKS_LIKE_FORMULA,
    MISSING_COLUMNS,
    MISSING_NUMBER,
    TOO_LONG,
)
from members.viewsets.roster import PREVIEW_OUTDATED, PREVIEW_STALE, SESSION_KEY
from tests.factories import UserFactory
from tests.helpers import DATA_DIR

pytestmark = pytest.mark.django_db

INDEX = "members_roster:index"
IMPORT = "members_roster:import"
PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


def staff(group: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def coordinator(client):
    user = staff("Coordinators")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    user = staff("Editors")
    client.force_login(user)
    return user


def upload(client, content: bytes, name="roster.csv", **kwargs):
    return client.post(
        reverse(IMPORT), {"file": SimpleUploadedFile(name, content, "text/csv")}, **kwargs
    )


def confirm(client, preview_url: str):
    sha256 = client.session[SESSION_KEY]["sha256"]
    return client.post(preview_url, {"sha256": sha256})


def messages_of(response) -> list[str]:
    """The messages queued for the page after this response (follow redirects to read them)."""
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def html_text(message: str) -> str:
    return escape(message)


def malformed() -> bytes:
    return (DATA_DIR / "roster-malformed.csv").read_bytes()


def test_listing_shows_number_name_email_expiry_and_the_import_button(client, coordinator):
    MemberRoster.objects.create(
        member_number="M1",
        email="mei@example.edu",
        first_name="Mei",
        last_name="Haddad",
        membership_expires=datetime.date(2020, 1, 31),
    )

    response = client.get(reverse(INDEX))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("M1", "Mei Haddad", "mei@example.edu", "2020-01-31", "Expired"):
        assert text in body
    assert f'href="{reverse(IMPORT)}"' in body
    assert "Import CSV" in body


def test_listing_filters_current_and_expired_and_searches(client, coordinator):
    today = datetime.date.today()
    for number, expires in (("M1", today), ("M2", today - datetime.timedelta(days=1))):
        MemberRoster.objects.create(
            member_number=number,
            email=f"{number.lower()}@example.edu",
            last_name=f"Name{number}",
            membership_expires=expires,
        )

    current = client.get(reverse(INDEX), {"membership": "current"}).content.decode()
    expired = client.get(reverse(INDEX), {"membership": "expired"}).content.decode()
    searched = client.get(reverse(INDEX), {"q": "m2@example"}).content.decode()

    assert "m1@example.edu" in current and "m2@example.edu" not in current
    assert "m2@example.edu" in expired and "m1@example.edu" not in expired
    assert "m2@example.edu" in searched and "m1@example.edu" not in searched


def test_coordinator_previews_the_malformed_file_then_confirms(client, coordinator):
    MemberRoster.objects.create(
        member_number="M000001",
        email="taken@example.edu",
        membership_expires=datetime.date(2099, 1, 1),
    )
    assert client.get(reverse(IMPORT)).status_code == 200

    response = upload(client, malformed())

    token = client.session[SESSION_KEY]["token"]
    preview_url = reverse("members_roster:import_preview", args=[token])
    assert response.status_code == 302 and response["Location"] == preview_url
    assert MemberRoster.objects.count() == 1

    preview = client.get(preview_url)
    body = preview.content.decode()
    assert preview.status_code == 200
    assert re.search(r"<strong>2</strong>\s*to add", body)
    assert re.search(r"<strong>12</strong>\s*rejected", body)
    assert "entries that are not in this file are kept, not deleted" in body
    assert "Ignored columns: Branch" in body
    for reason in (
        MISSING_NUMBER,
        BAD_EMAIL,
        BAD_DATE,
        DUPLICATE_NUMBER.format(number="M500006", lines="8, 9"),
        DUPLICATE_EMAIL.format(email="shared@example.edu", lines="10, 11"),
        LOOKS_LIKE_FORMULA.format(column="first name"),
        TOO_LONG.format(column="last name", limit=150),
        EMAIL_TAKEN.format(email="taken@example.edu", number="M000001"),
    ):
        assert html_text(reason) in body
    assert "<td>13</td>" in body and "<td>ana.silva@example.edu</td>" in body
    assert "Confirm import" in body
    assert MemberRoster.objects.count() == 1

    done = confirm(client, preview_url)

    assert done.status_code == 302 and done["Location"] == reverse(INDEX)
    assert set(MemberRoster.objects.values_list("member_number", flat=True)) == {
        "M000001",
        "M500001",
        "M500002",
    }
    assert messages_of(done) == [
        "Roster imported: 2 added, 0 updated; 0 pending accounts verified."
    ]
    assert SESSION_KEY not in client.session


def test_the_same_file_again_has_nothing_to_confirm(client, coordinator):
    sample = (DATA_DIR / "roster-sample.csv").read_bytes()
    upload(client, sample)
    confirm(
        client,
        reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]]),
    )
    rows = list(MemberRoster.objects.values())

    upload(client, sample)
    token = client.session[SESSION_KEY]["token"]
    body = client.get(reverse("members_roster:import_preview", args=[token])).content.decode()

    assert re.search(r"<strong>64</strong>\s*unchanged", body)
    assert "Nothing to import" in body and "Confirm import" not in body
    assert list(MemberRoster.objects.values()) == rows


def test_an_unknown_token_sends_the_coordinator_back_with_a_message(client, coordinator):
    response = client.get(reverse("members_roster:import_preview", args=["no-such-token"]))

    assert response.status_code == 302 and response["Location"] == reverse(IMPORT)
    assert messages_of(response) == [PREVIEW_STALE]


def test_a_replaced_or_tampered_preview_is_not_applied(client, coordinator):
    upload(client, malformed())
    old_url = reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]])
    old_sha = client.session[SESSION_KEY]["sha256"]
    upload(client, (DATA_DIR / "roster-sample.csv").read_bytes())
    new_url = reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]])

    for url, data in (
        (old_url, {"sha256": old_sha}),
        (new_url, {"sha256": old_sha}),
        (new_url, {}),
    ):
        response = client.post(url, data, follow=True)

        assert response.redirect_chain == [(reverse(IMPORT), 302)]
        assert messages_of(response) == [PREVIEW_STALE]
    assert not MemberRoster.objects.exists()


def test_a_confirmation_after_the_session_ended_is_not_applied(client, coordinator):
    upload(client, malformed())
    url = reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]])
    sha256 = client.session[SESSION_KEY]["sha256"]
    session = client.session
    del session[SESSION_KEY]
    session.save()

    response = client.post(url, {"sha256": sha256})

    assert response["Location"] == reverse(IMPORT)
    assert messages_of(response) == [PREVIEW_STALE]
    assert not MemberRoster.objects.exists()


def test_a_roster_change_after_the_preview_shows_the_new_preview_first(client, coordinator):
    upload(client, malformed())
    url = reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]])
    client.get(url)
    MemberRoster.objects.create(
        member_number="M500001",
        email="ana.silva@example.edu",
        first_name="Ana",
        last_name="Silva-Oldname",
        membership_expires=datetime.date(2027, 6, 30),
    )

    response = confirm(client, url)

    body = response.content.decode()
    assert response.status_code == 200
    assert escape(PREVIEW_OUTDATED) in body
    assert re.search(r"<strong>1</strong>\s*to update", body)
    assert "Silva-Oldname" in body
    assert MemberRoster.objects.get().last_name == "Silva-Oldname"

    applied = confirm(client, url)

    assert applied["Location"] == reverse(INDEX)
    assert MemberRoster.objects.get(member_number="M500001").last_name == "Silva"
    assert MemberRoster.objects.count() == 3


def test_a_file_that_cannot_be_imported_is_explained_on_the_form(client, coordinator):
    missing = upload(client, b"number,email\r\nM1,a@example.edu\r\n")
    not_csv = upload(client, b"member_number,email", name="roster.xlsx")

    assert missing.status_code == 200
    assert (
        html_text(
            MISSING_COLUMNS.format(
                missing="member_number, first_name, last_name, membership_expires"
            )
        )
        in missing.content.decode()
    )
    assert not_csv.status_code == 200
    assert "File extension “xlsx” is not allowed" in not_csv.content.decode()
    assert SESSION_KEY not in client.session


def test_an_editor_is_refused_every_step(client, editor):
    MemberRoster.objects.create(
        member_number="M1", email="m@example.edu", membership_expires=datetime.date(2099, 1, 1)
    )
    session = client.session
    session[SESSION_KEY] = {
        "token": "t",
        "text": "member_number,email,first_name,last_name,membership_expires\n"
        "M2,x@example.edu,X,Y,2099-01-01\n",
        "sha256": "irrelevant",
        "preview_digest": "",
        "filename": "x.csv",
    }
    session.save()

    preview_url = reverse("members_roster:import_preview", args=["t"])
    steps = [
        lambda: client.get(reverse(INDEX), follow=True),
        lambda: client.get(reverse(IMPORT), follow=True),
        lambda: upload(client, malformed(), follow=True),
        lambda: client.get(preview_url, follow=True),
        lambda: client.post(preview_url, {"sha256": "irrelevant"}, follow=True),
    ]

    for step in steps:
        response = step()

        assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
        assert messages_of(response) == [PERMISSION_DENIED]
    assert list(MemberRoster.objects.values_list("member_number", flat=True)) == ["M1"]
    assert client.session[SESSION_KEY]["token"] == "t"


def test_a_viewer_without_add_and_change_sees_no_import_button(client):
    viewer = UserFactory()
    viewer.user_permissions.add(
        *Group.objects.get(name="Coordinators").permissions.filter(
            codename__in=["access_admin", "view_memberroster"]
        )
    )
    client.force_login(viewer)

    listing = client.get(reverse(INDEX))
    refused = client.get(reverse(IMPORT))

    assert listing.status_code == 200 and "Import CSV" not in listing.content.decode()
    assert refused["Location"] == reverse("wagtailadmin_home")


def test_hostile_names_are_escaped_in_the_preview_and_the_listing(
    client, coordinator, hostile_inputs
):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["member_number", "email", "first_name", "last_name", "membership_expires"])
    for n, value in enumerate(hostile_inputs):
        writer.writerow([f"H{n}", f"hostile{n}@example.edu", value, value, "2099-01-01"])
    upload(client, out.getvalue().encode())
    url = reverse("members_roster:import_preview", args=[client.session[SESSION_KEY]["token"]])

    preview = client.get(url).content.decode()
    confirm(client, url)
    # Every page of the listing, 20 entries a page.
    pages = range(1, MemberRoster.objects.count() // 20 + 2)
    listing = "".join(
        client.get(reverse(INDEX), {"q": "hostile", "p": page}).content.decode() for page in pages
    )

    markup = [value for value in hostile_inputs if "<" in value]
    assert len(markup) > 50
    for body in (preview, listing):
        assert "<script>alert" not in body
        assert "<img src=x onerror" not in body
        for value in markup:
            assert value not in body
    assert escape("<script>alert(1)</script>") in preview
    assert escape("<img src=x onerror=alert(1)>") in listing
    assert escape(CONTROL_CHARACTER.format(column="first name")) in preview
    assert "\x00" not in preview
    stored = set(MemberRoster.objects.values_list("first_name", flat=True))
    assert "<script>alert(1)</script>" in stored
    assert not any(name.startswith(("=", "+", "-", "@")) for name in stored)


def add_entry(client, **values):
    data = {
        "member_number": "M300001",
        "email": "New.Member@Example.edu",
        "first_name": "New",
        "last_name": "Member",
        "membership_expires": "2027-06-30",
        **values,
    }
    return client.post(reverse("members_roster:add"), data)


def test_an_entry_typed_in_the_admin_is_normalised_like_an_imported_row(client, coordinator):
    response = add_entry(client, member_number=" m300001 ")
    assert response.status_code == 302
    entry = MemberRoster.objects.get()
    assert (entry.member_number, entry.email) == ("M300001", "new.member@example.edu")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"first_name": '=HYPERLINK("x")'}, "first_name", "a spreadsheet would run as a formula"),
        ({"last_name": "Mem\u202eber"}, "last_name", "contains a control character"),
        ({"member_number": "m100001"}, "member_number", "is already on the roster"),
        ({"email": "TAKEN@example.edu"}, "email", "belongs to member number M100001"),
    ],
    ids=["formula", "bidi-control", "number-in-another-case", "email-of-another-number"],
)
def test_an_entry_typed_in_the_admin_is_refused_as_an_imported_row_is(
    client, coordinator, values, field, message
):
    MemberRoster.objects.create(
        member_number="M100001", email="taken@example.edu", membership_expires="2027-01-01"
    )
    response = add_entry(client, **values)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert MemberRoster.objects.count() == 1
