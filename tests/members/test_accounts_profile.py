"""A member's profile: the form saves and the account page shows it, bad input is refused
with a message and writes nothing, and hostile text never comes back unescaped."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import UNKNOWN_TIME_ZONE, AreaOfInterest, User
from members.services.accounts import (
    CHOICE_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    FIELD_REQUIRED,
    SINGLE_LINE_ONLY,
    UNKNOWN_AREA,
    member_profile_update,
)
from tests.members.factories import LAST
from tests.members.helpers import profile_data, profile_snapshot, text

pytestmark = pytest.mark.django_db

# ---- Profile --------------------------------------------------------------------------------


def test_profile_form_saves_and_the_account_page_shows_it(member_client, member, areas):
    data = profile_data(areas=areas[:2], first_name="Zephyrine Ada")
    response = member_client.post(reverse("member_profile_edit"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("member_profile")
    snapshot = profile_snapshot(member)
    assert snapshot["names"] == ("Zephyrine Ada", LAST)
    assert snapshot["areas"] == [areas[0].pk, areas[1].pk]
    assert snapshot["contact_methods"] == ["virtual", "email"]
    assert snapshot["years_experience"] == 3
    page = text(member_client.get(response["Location"]))
    assert "Your profile is saved." in page
    for shown in ["Riverside Public Library", "Public", "Early career (under 5 years)"]:
        assert shown in page
    assert "Map librarianship, Rare books" in page
    assert "Virtual (video call), E-mail" in page


def test_time_zone_select_puts_north_american_zones_first(member_client):
    body = member_client.get(reverse("member_profile_edit")).content.decode()
    select = re.search(r'<select name="time_zone".*?</select>', body, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)"', select)
    assert groups == ["United States and Canada", "Other time zones"]
    first_group = select.split('<optgroup label="Other time zones"')[0]
    assert 'value="America/Chicago" selected' in first_group
    assert select.count('value="America/Chicago"') == 1
    assert 'value="Europe/London"' in select
    assert 'value="US/Central"' not in select


BAD_INPUT = [
    ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice."),
    ({"contact_methods": ["carrier_pigeon"]}, "contact_methods", "Select a valid choice."),
    ({"contact_methods": []}, "contact_methods", "Choose at least one way to meet your partner."),
    ({"years_experience": "99"}, "years_experience", "less than or equal to 70"),
    ({"years_experience": "three"}, "years_experience", "Enter a whole number."),
    ({"institution": "   "}, "institution", "This field is required."),
    ({"library_type": "bookmobile"}, "library_type", "Select a valid choice."),
    ({"areas": ["999999"]}, "areas", "Select a valid choice."),
    ({"first_name": "Zeph\r\nBcc: x@example.org"}, "first_name", SINGLE_LINE_ONLY),
    ({"pronouns": "x" * 41}, "pronouns", "at most 40 characters"),
    ({"bio": "b" * 1501}, "bio", "at most 1500 characters"),
    ({"bio": "null\x00byte"}, "bio", "Null characters are not allowed."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_INPUT)
def test_profile_form_rejects_bad_input_with_a_message_and_writes_nothing(
    member_client, member, areas, change, field, message
):
    member_client.post(reverse("member_profile_edit"), profile_data(areas=areas[:1]))
    before = profile_snapshot(member)
    response = member_client.post(
        reverse("member_profile_edit"), {**profile_data(areas=areas[2:]), **change}
    )
    assert response.status_code == 200
    assert "Please correct the 1 problem below" in text(response)
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert profile_snapshot(member) == before


def test_profile_service_checks_again_with_exact_messages_and_writes_nothing(member, areas):
    before = profile_snapshot(member)
    other = AreaOfInterest(pk=424242, name="Not saved")
    with pytest.raises(ValidationError) as raised:
        member_profile_update(
            user=member,
            first_name="",
            last_name="Line\nbreak",
            institution="Library",
            position="Librarian",
            library_type="",
            career_stage="early",
            time_zone="Nowhere/Atlantis",
            contact_methods=[],
            areas=[areas[0], other],
        )
    assert raised.value.message_dict == {
        "first_name": [FIELD_REQUIRED.format(label="first name")],
        "last_name": [SINGLE_LINE_ONLY],
        "library_type": [CHOICE_REQUIRED.format(label="library type")],
        "time_zone": [UNKNOWN_TIME_ZONE],
        "contact_methods": [CONTACT_METHOD_REQUIRED],
        "areas": [UNKNOWN_AREA],
    }
    assert profile_snapshot(member) == before


TEXT_FIELDS = ["first_name", "last_name", "pronouns", "institution", "position", "bio"]


def test_hostile_input_in_every_text_field_never_comes_back_unescaped(
    member_client, member, areas, hostile_inputs
):
    saved = 0
    for payload in hostile_inputs:
        data = profile_data(areas=areas, **dict.fromkeys(TEXT_FIELDS, payload))
        response = member_client.post(reverse("member_profile_edit"), data)
        assert response.status_code in (200, 302), payload
        pages = [response]
        if response.status_code == 302:
            saved += 1
            pages += [
                member_client.get(reverse("member_profile")),
                member_client.get(reverse("member_profile_edit")),
            ]
        for page in pages:
            assert page.status_code in (200, 302), payload
            if any(char in payload for char in "<>\"'"):
                assert payload.strip() not in page.content.decode(), payload
    # Most of the list is storable text (the rest is too long for pronouns, or holds control
    # characters): it is stored as it is and shown escaped.
    assert saved > 60


def test_hostile_input_on_the_signup_form_is_echoed_escaped(client, site, hostile_inputs):
    for number, payload in enumerate(hostile_inputs):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "not-an-address",
                "first_name": payload,
                "last_name": payload,
                "member_number": payload,
                "password1": "a-long-pass-phrase",
                "password2": "a-long-pass-phrase",
            },
            # Sign-ups are rate-limited per address.
            REMOTE_ADDR=f"192.0.2.{number % 250 + 1}",
        )
        assert response.status_code == 200, payload
        if any(char in payload for char in "<>\"'"):
            assert payload.strip() not in response.content.decode(), payload
    assert not User.objects.exists()
