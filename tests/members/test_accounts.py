"""A member's own account: sign-up, membership status, profile, data download and deletion."""

import datetime
import html
import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from home.models import SiteSettings
from members.choices import MembershipStatus
from members.models import (
    FORMER_PARTICIPANT,
    UNKNOWN_TIME_ZONE,
    AreaOfInterest,
    MemberProfile,
    User,
)
from members.services import accounts
from members.services.accounts import (
    CHOICE_REQUIRED,
    CONTACT_METHOD_REQUIRED,
    FIELD_REQUIRED,
    SINGLE_LINE_ONLY,
    UNKNOWN_AREA,
    WRONG_PASSWORD,
    member_account_delete,
    member_data_export,
    member_profile_update,
)
from tests.factories import USER_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Distinctive, so that a search of the whole database finds nothing else by chance.
EMAIL = "zephyrine.quillfeather@example.org"
FIRST, LAST = "Zephyrine", "Quillfeather"


def make_member(email=EMAIL, *, first_name=FIRST, last_name=LAST, **profile_fields) -> User:
    """A user with a confirmed e-mail address and a profile (pending unless told otherwise)."""
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    MemberProfile.objects.create(user=user, **profile_fields)
    return user


@pytest.fixture
def areas(db):
    return [
        AreaOfInterest.objects.create(name="Map librarianship", sort_order=1),
        AreaOfInterest.objects.create(name="Rare books", sort_order=2),
        AreaOfInterest.objects.create(name="Digital humanities", sort_order=3),
    ]


@pytest.fixture
def member(site):
    return make_member()


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


def profile_data(areas=(), **overrides) -> dict:
    data = {
        "first_name": FIRST,
        "last_name": LAST,
        "pronouns": "she/her",
        "institution": "Riverside Public Library",
        "position": "Cataloging librarian",
        "library_type": "public",
        "career_stage": "early",
        "years_experience": "3",
        "areas": [area.pk for area in areas],
        "time_zone": "America/Chicago",
        "contact_methods": ["virtual", "email"],
        "bio": "I catalog rare maps.\nI would like to learn about preservation.",
    }
    return {**data, **overrides}


def profile_snapshot(user) -> dict:
    user.refresh_from_db()
    profile = MemberProfile.objects.get(user=user)
    fields = ["pronouns", "institution", "position", "library_type", "career_stage"]
    fields += ["years_experience", "time_zone", "contact_methods", "bio"]
    return {
        "names": (user.first_name, user.last_name),
        "areas": sorted(profile.areas.values_list("pk", flat=True)),
        **{name: getattr(profile, name) for name in fields},
    }


def text(response) -> str:
    """The page's visible text, roughly: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


# ---- Sign-up --------------------------------------------------------------------------


def test_signup_creates_a_pending_profile_with_the_member_number_and_sends_a_link(client, site):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new.member@example.edu",
            "first_name": "Mei",
            "last_name": "Haddad",
            "member_number": " M123456 ",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.member@example.edu")
    assert (user.first_name, user.last_name) == ("Mei", "Haddad")
    assert user.profile.membership_status == MembershipStatus.PENDING
    assert user.profile.member_number == "M123456"
    [message] = mail.outbox
    assert message.subject == "Confirm your e-mail address"
    assert "Hello from the Mentoring Program!" in message.body
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/", message.body)
    page = client.get(response["Location"])
    assert "Check your e-mail" in text(page)


def test_signup_form_asks_for_names_and_member_number_and_never_a_username(client, site):
    page = text(client.get(reverse("account_signup")))
    for label in ["E-mail address", "First name", "Last name", "Member number (optional)"]:
        assert label in page
    assert "Password again" in page
    assert "username" not in page.lower()


# ---- Every account page renders in the site's layout --------------------------------------

VISITOR_PAGES = {
    "/accounts/login/": "Log in",
    "/accounts/signup/": "Sign up",
    "/accounts/password/reset/": "Reset your password",
    "/accounts/password/reset/done/": "Check your e-mail",
    "/accounts/password/reset/key/1-not-a-key/": "This link has expired",
    "/accounts/password/reset/key/done/": "Your password is changed",
    "/accounts/confirm-email/": "Check your e-mail",
    "/accounts/confirm-email/not-a-key/": "This link has expired",
    "/accounts/inactive/": "This account is closed",
    "/accounts/deleted/": "Your account is deleted",
}
MEMBER_PAGES = {
    "/accounts/profile/": "Your account",
    "/accounts/profile/edit/": "Edit your profile",
    "/accounts/delete/": "Delete your account",
    "/accounts/email/": "Change your e-mail address",
    "/accounts/password/change/": "Change your password",
    "/accounts/logout/": "Log out",
    "/accounts/reauthenticate/": "Confirm it is you",
}


@pytest.mark.parametrize(("url", "heading"), VISITOR_PAGES.items())
def test_visitor_account_pages_render_in_the_site_layout(client, site, url, heading):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", body)
    assert body.count("<h1") == 1
    assert '<link rel="stylesheet" href="/static/css/site.css">' in body
    assert 'class="site-header"' in body and 'class="site-footer"' in body
    assert "username" not in text(response).lower()


@pytest.mark.parametrize(("url", "heading"), MEMBER_PAGES.items())
def test_member_account_pages_render_and_are_never_cached(member_client, url, heading):
    response = member_client.get(url)
    assert response.status_code == 200
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", response.content.decode())
    assert "username" not in text(response).lower()
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_member_pages_need_a_login(client, site):
    for name in ["member_profile", "member_profile_edit", "member_data_export"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("member_account_delete")).status_code == 302


def test_header_offers_login_and_signup_to_visitors_and_logout_to_members(client, member):
    visitor = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/login/">Log in</a>' in visitor
    assert 'href="/accounts/signup/">Sign up</a>' in visitor
    client.force_login(member)
    page = client.get(reverse("member_profile")).content.decode()
    bar = re.search(r'<nav class="account-bar".*?</nav>', page, re.S).group(0)
    assert 'href="/accounts/profile/">Your account</a>' in bar
    assert 'action="/accounts/logout/" method="post"' in bar
    assert 'name="csrfmiddlewaretoken"' in bar
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get(reverse("member_profile")).status_code == 302


def test_login_goes_to_the_account_page(client, member):
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("member_profile")
    assert "You're logged in." in text(client.get(response["Location"]))


def test_a_locked_account_is_told_why_and_offered_a_password_reset(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    assert response.status_code == 429
    page = text(response)
    assert "Your account is locked" in page
    assert "locked for 15 minutes" in page
    assert f'href="{reverse("account_reset_password")}"' in response.content.decode()


def test_password_reset_by_e_mail_link(client, member):
    client.post(reverse("account_reset_password"), {"email": EMAIL})
    [message] = mail.outbox
    assert message.subject == "Reset your password"
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in text(form_page)
    assert "New password again" in text(form_page)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a-brand-new-phrase", "password2": "a-brand-new-phrase"},
        follow=True,
    )
    assert "Your password is changed" in text(done)
    client.post(reverse("account_login"), {"login": EMAIL, "password": "a-brand-new-phrase"})
    assert client.get(reverse("member_profile")).status_code == 200


def test_password_change_keeps_the_member_logged_in(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": USER_PASSWORD,
            "password1": "a-brand-new-phrase",
            "password2": "a-brand-new-phrase",
        },
        follow=True,
    )
    assert "Your password is changed." in text(response)
    member.refresh_from_db()
    assert member.check_password("a-brand-new-phrase")
    assert member_client.get(reverse("member_profile")).status_code == 200


def test_e_mail_change_waits_for_the_new_address_to_be_confirmed(member_client, member):
    response = member_client.post(
        reverse("account_email"), {"email": "zq.new@example.org", "action_add": ""}, follow=True
    )
    page = text(response)
    assert "We've sent a confirmation link to zq.new@example.org." in page
    assert "Changing to zq.new@example.org Not confirmed yet" in page
    member.refresh_from_db()
    assert member.email == EMAIL
    [message] = mail.outbox
    assert message.to == ["zq.new@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    confirm = member_client.get(link)
    assert "Is zq.new@example.org your e-mail address?" in text(confirm)
    member_client.post(link)
    member.refresh_from_db()
    assert member.email == "zq.new@example.org"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", flat=True)) == [
        "zq.new@example.org"
    ]


# ---- Membership status --------------------------------------------------------------------


def test_pending_member_is_told_what_happens_next(member_client, member):
    MemberProfile.objects.filter(user=member).update(member_number="M555")
    page = text(member_client.get(reverse("member_profile")))
    assert "Pending verification" in page
    assert "What happens next" in page
    assert "using your member number M555" in page
    assert f"We e-mail you at {EMAIL}" in page


def test_verified_member_sees_until_when(member_client, member):
    expires = timezone.localdate() + datetime.timedelta(days=200)
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED, membership_expires=expires
    )
    page = text(member_client.get(reverse("member_profile")))
    assert "Verified member" in page
    assert f"until {expires:%B} {expires.day}, {expires.year}" in page
    assert "Pending verification" not in page


def test_declined_member_sees_the_reason_and_how_to_reach_the_chair(member_client, member):
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.DECLINED,
        decline_reason="No membership under <this> address.",
    )
    response = member_client.get(reverse("member_profile"))
    page = text(response)
    assert "Membership not verified" in page
    assert "No membership under <this> address." in page
    assert "No membership under &lt;this&gt; address." in response.content.decode()
    assert 'href="mailto:chair@example.org"' in response.content.decode()


def test_lapsed_member_is_shown_how_to_renew(member_client, member, site):
    SiteSettings.objects.filter(site=site).update(
        membership_renewal_url="https://association.example.org/renew"
    )
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED,
        membership_expires=timezone.localdate() - datetime.timedelta(days=1),
    )
    response = member_client.get(reverse("member_profile"))
    page = text(response)
    assert "Membership lapsed" in page
    assert "cannot start a new application until you renew" in page
    assert 'href="https://association.example.org/renew"' in response.content.decode()
    assert "Verified member" not in page


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


# ---- Data export ----------------------------------------------------------------------------


def test_export_holds_the_members_data_and_nobody_elses(member_client, member, areas):
    coordinator = make_member("coordinator.person@example.org", first_name="Cora")
    other = make_member("other.member@example.org", first_name="Ottoline", bio="Other bio")
    other.profile.areas.set(areas[2:])
    member_client.post(reverse("member_profile_edit"), profile_data(areas=areas[:2]))
    MemberProfile.objects.filter(user=member).update(
        membership_status=MembershipStatus.VERIFIED, decided_by=coordinator
    )

    response = member_client.get(reverse("member_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert re.match(
        r'attachment; filename="mentoring-data-[\d-]+\.json"', response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert (data["account"]["first_name"], data["account"]["last_name"]) == (FIRST, LAST)
    assert data["email_addresses"] == [{"email": EMAIL, "verified": True, "primary": True}]
    profile = data["profile"]
    assert profile["institution"] == "Riverside Public Library"
    assert profile["areas_of_interest"] == ["Map librarianship", "Rare books"]
    assert profile["membership_status"] == "verified"
    assert profile["membership_status_display"] == "Verified member"
    assert profile["contact_methods"] == ["virtual", "email"]
    body = response.content.decode()
    for someone_else in ["coordinator.person", "Cora", "other.member", "Ottoline", "Other bio"]:
        assert someone_else not in body
    assert "Digital humanities" not in body
    assert "password" not in body


def test_export_lists_successful_sign_ins_only(client, member):
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    client.post(
        reverse("account_login"),
        {"login": EMAIL, "password": USER_PASSWORD},
        HTTP_USER_AGENT="Test browser",
    )
    sign_ins = member_data_export(user=member)["sign_ins"]
    assert [entry["browser"] for entry in sign_ins] == ["Test browser"]


# ---- Deletion -------------------------------------------------------------------------------

SEARCHED_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField"}


def places_holding(*needles: str) -> list[str]:
    """Every model column (and decoded session) in which any of the needles appears."""
    found = []
    needles = [needle.lower() for needle in needles]
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.get_internal_type() in SEARCHED_TYPES
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[field.attname for field in fields]):
            for field, value in zip(fields, row, strict=True):
                value = value if isinstance(value, str) else json.dumps(value, default=str)
                if any(needle in value.lower() for needle in needles):
                    found.append(f"{model._meta.label}.{field.name}")
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded(), default=str).lower()
        if any(needle in decoded for needle in needles):
            found.append(f"session {session.pk}")
    return found


def test_deleting_the_account_leaves_no_personal_data_and_keeps_the_row(client, member, areas):
    partner = make_member("partner.person@example.org", first_name="Pat", last_name="Partner")
    # Logs and login records that carry the person's name or address.
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    client.post(reverse("account_login"), {"login": EMAIL, "password": USER_PASSWORD})
    client.post(reverse("member_profile_edit"), profile_data(areas=areas))
    log(instance=member.profile, action="wagtail.edit", user=partner)
    LogEntry.objects.create(
        user=partner,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
        object_repr=str(member),
        action_flag=CHANGE,
    )
    other_device = Client()
    other_device.force_login(member)
    assert places_holding(EMAIL, FIRST, LAST)

    response = client.post(reverse("member_account_delete"), {"password": USER_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("member_account_deleted")
    assert places_holding(EMAIL, FIRST, LAST) == []
    erased = User.objects.get(pk=member.pk)
    assert erased.erased_at is not None
    assert str(erased) == erased.display_name == FORMER_PARTICIPANT
    assert not erased.is_active and not erased.has_usable_password()
    assert erased.email == f"erased-{member.pk}@erased.invalid"
    assert not MemberProfile.objects.filter(user=erased).exists()
    assert not EmailAddress.objects.filter(user=erased).exists()
    # Logged out here and on the other device; the partner is untouched.
    assert client.get(reverse("member_profile")).status_code == 302
    assert other_device.get(reverse("member_profile")).status_code == 302
    partner.refresh_from_db()
    assert (partner.email, partner.first_name) == ("partner.person@example.org", "Pat")
    assert AreaOfInterest.objects.filter(pk__in=[area.pk for area in areas]).count() == 3


def test_deletion_needs_the_right_password_and_changes_nothing_otherwise(member_client, member):
    response = member_client.post(reverse("member_account_delete"), {"password": "not-it"})
    assert response.status_code == 200
    page = text(response)
    assert "Your account was not deleted" in page
    assert WRONG_PASSWORD in page
    member.refresh_from_db()
    assert member.email == EMAIL and member.is_active and member.erased_at is None
    assert MemberProfile.objects.filter(user=member).exists()
    assert member_client.get(reverse("member_profile")).status_code == 200

    empty = member_client.post(reverse("member_account_delete"), {"password": ""})
    assert empty.status_code == 200
    assert User.objects.get(pk=member.pk).erased_at is None


def test_deletion_is_only_by_post(member_client, member):
    assert member_client.get(reverse("member_account_delete")).status_code == 200
    assert User.objects.get(pk=member.pk).erased_at is None


def test_a_deleted_account_cannot_log_in(client, member):
    member_account_delete(user=member, password=USER_PASSWORD)
    for login in [EMAIL, f"erased-{member.pk}@erased.invalid"]:
        response = client.post(
            reverse("account_login"), {"login": login, "password": USER_PASSWORD}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert client.get(reverse("member_profile")).status_code == 302


def test_erasure_steps_registered_by_other_apps_run_first_and_can_roll_everything_back(
    member, monkeypatch
):
    monkeypatch.setattr(accounts, "ERASURE_STEPS", list(accounts.ERASURE_STEPS))
    seen = []

    @accounts.erasure_step("confidential notes")
    def erase_notes(*, user, emails):
        seen.append((user.email, set(emails)))

    member_account_delete(user=make_member("second@example.org"), password=USER_PASSWORD)
    assert seen == [("second@example.org", {"second@example.org"})]

    @accounts.erasure_step("failing step")
    def fail(*, user, emails):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        member_account_delete(user=member, password=USER_PASSWORD)
    member.refresh_from_db()
    assert member.erased_at is None and member.email == EMAIL
    assert MemberProfile.objects.filter(user=member).exists()
    assert EmailAddress.objects.filter(user=member).exists()
