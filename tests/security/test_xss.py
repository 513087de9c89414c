"""Cross-site scripting: every hostile payload (tests/data/hostile-inputs.json, 105 of them)
goes through every text field a member or a visitor writes, by the real forms, and is then
looked for wherever that text shows: the writer's own pages, the partner's, the
coordinators' admin screens and the e-mails the portal sends. Nothing comes back as markup,
and each page checked does show the text, escaped (so the checks looked at something).

Each field takes the payloads several to a value, one per line (or side by side in a
one-line field), as many as its length allows: every payload is stored and shown, and each
page is read once per value rather than once per payload. A value the field refuses (a
control character, too long) is split until each payload is stored or refused on its own;
a refusal is checked too, since the form shows the text again. The forms' own pages are
also checked payload by payload in the apps' tests (tests/members/test_accounts_profile.py,
tests/cohorts/program/applications/test_application_input.py, tests/home/test_contact.py and
others).

The pair's own texts, check-in comments and survey answers are in test_xss_pair.py.

CSV and spreadsheet exports are not HTML and are left to tests/cohorts/reports/test_reports.py
and tests/cohorts/program/review/test_application_admin.py (formula injection).
"""

import itertools

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cohorts.choices import ReminderKind
from members.forms import ProfileForm
from members.models import MemberProfile, User
from tests.security.toolkit import (
    MARKERS,
    MOST,
    ONE_LINE_MOST,
    PAYLOADS,
    assert_no_markup,
    assert_shown_escaped,
    body,
    check_emails,
    check_page,
    form_data,
    html_parts,
    injections,
    lines,
    missing_escaped,
    payload_groups,
    raw_leaks,
    reminder,
    storable,
    submit_packed,
)

# Many messages from one client or member: the limits are tested in test_flood.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("limits_lifted")]


# ---- The checks themselves can fail -------------------------------------------------------


def test_the_checks_catch_markup_that_got_through():
    payload = PAYLOADS[2]  # <img src=x onerror=alert(xss002x)>
    assert MARKERS and len(PAYLOADS) >= 100
    page = f"<p>{payload}</p>"
    assert raw_leaks(page, [payload]) and injections(page)
    with pytest.raises(AssertionError):
        assert_no_markup(page, [payload], "a page")
    # Cut short, or with its quotes escaped, an injected handler is still found.
    assert injections('<p><img src=x onerror="alert(xss002x)"></p>')
    assert injections(f'<a href="java&#x09;script:alert({MARKERS[0]})">x</a>')
    assert injections(f"<script>fetch({MARKERS[0]})</script>")
    assert injections(f"<p title='' onmouseover='alert({MARKERS[0]})'>")
    assert injections("<blockquote><script>alert(xss0…</blockquote></body></html>")
    assert injections('<p><img src="https://x.invalid/track.gif"></p>')
    # Escaped, the same text passes, and is found as text.
    escaped = f"<p>{escape(payload)}</p>"
    assert not raw_leaks(escaped, [payload]) and not injections(escaped)
    assert not missing_escaped(escaped, [payload])
    with pytest.raises(AssertionError):
        assert_shown_escaped("<p>something else</p>", [payload], "a page")
    # Markers in a URL query or a JSON script are data, not markup.
    assert not injections(f'<a href="?q=%3Cscript%3E{MARKERS[0]}">next</a>')
    assert not injections(f'<script type="application/json">"{MARKERS[0]}"</script>')


# ---- Profile: the member, the partner, the coordinators, the e-mails ---------------------

PROFILE_TEXT = {  # field → (max length, multi-line)
    "first_name": (150, False),
    "last_name": (150, False),
    "pronouns": (40, False),
    "institution": (160, False),
    "position": (160, False),
    "bio": (1500, True),
}


def steps(fields: dict[str, tuple[int, bool]]) -> list[dict[str, list[str]]]:
    """What each step of a sweep over a form's text ``fields`` (name → (max length,
    multi-line)) writes, per field. Fields of the same kind share out the packs of payloads
    between them, so the sweep takes as few steps as it can; a field left without a pack in
    a step keeps its value."""
    kinds: dict[tuple[int, bool], list[str]] = {}
    for name, kind in fields.items():
        kinds.setdefault(kind, []).append(name)
    per_field: dict[str, list[list[str]]] = {name: [] for name in fields}
    for (max_length, multiline), names in kinds.items():
        fits = [p for p in PAYLOADS if storable(p, max_length, multiline=multiline)]
        for index, group in enumerate(payload_groups(fits, max_length, 1)):
            per_field[names[index % len(names)]].append(group)
    rows = itertools.zip_longest(*per_field.values())
    return [{name: group for name, group in zip(per_field, row, strict=True) if group}
            for row in rows]  # fmt: skip


def assert_covered(stored: dict[str, list[str]], fields) -> None:
    """Most payloads went through each kind of field: the ones a field of that length can
    hold at all (a 40-character field cannot hold the longer half of the list)."""
    for kind in set(fields.values()):
        names = [name for name, other in fields.items() if other == kind]
        fits = [p for p in PAYLOADS if storable(p, kind[0], multiline=kind[1])]
        done = {p for name in names for p in stored[name]}
        assert len(done) == len(fits) and len(done) >= min(MOST, len(fits)), (names, len(done))


def joined(step: dict[str, list[str]], fields) -> dict[str, str]:
    return {name: ("\n" if fields[name][1] else " ").join(group) for name, group in step.items()}


def test_profile_texts_are_escaped_for_the_partner_the_coordinators_and_in_emails(portal):
    """Name, pronouns, institution, position and bio, written on the mentee's profile, as the
    mentee, the mentor, the coordinators and the e-mails about the pair show them."""
    mentee_user, pair = portal.pair.mentee.applicant, portal.pair
    mentee, mentor = portal.client("mentee"), portal.client("mentor")
    coordinator = portal.client("coordinator")
    profile = MemberProfile.objects.get(user=mentee_user)
    current = form_data(ProfileForm(user=mentee_user, profile=profile))
    names = {"first_name", "last_name"}
    # (who, address, the fields it shows)
    pages = [
        # Pronouns (40 characters, so many steps) are checked on the mentee's own profile
        # payload by payload in tests/members/test_accounts_profile.py.
        (
            "the mentee's profile",
            mentee,
            reverse("member_profile"),
            set(PROFILE_TEXT) - {"pronouns"},
        ),
        ("the mentor's pair page", mentor, portal.pair_url(), set(PROFILE_TEXT)),
        ("the mentor's dashboard", mentor, portal.dashboard.url, names),
        ("the coordinators' pair", coordinator, portal.admin_pair_url(), names),
        (
            "the coordinators' application",
            coordinator,
            reverse("cohorts_application:inspect", args=[pair.mentee.pk]),
            names | {"institution", "position"},
        ),
    ]
    stored = {name: [] for name in PROFILE_TEXT}
    for step in steps(PROFILE_TEXT):
        values = joined(step, PROFILE_TEXT)
        response = mentee.post(reverse("member_profile_edit"), {**current, **values})
        assert response.status_code == 302, response.context["form"].errors
        current.update(values)
        for name, group in step.items():
            stored[name] += group
        changed = set(step)
        for where, client, url, fields in pages:
            if fields & changed:
                shown = [p for name in fields & changed for p in step[name]]
                check_page(client, url, shown, where)
        if changed & (names | {"institution", "position", "bio", "pronouns"}):
            shown = [p for name in changed for p in step[name]]
            check_emails(reminder(ReminderKind.MATCHED, mentor_user(pair), pair), shown,
                         "the mentor's 'you are matched' e-mail")  # fmt: skip
        if "first_name" in changed:
            check_emails(reminder(ReminderKind.CHECKIN, mentee_user, pair), step["first_name"],
                         "the mentee's check-in e-mail")  # fmt: skip
    assert_covered(stored, PROFILE_TEXT)

    listings = {
        "the coordinators' members": reverse("members_member:index"),
        "the coordinators' applications": reverse("cohorts_application:index"),
        "the coordinators' pairs": reverse("cohorts_pair:index"),
        "the coordinators' check-ins": reverse("cohorts_checkinanswer:index"),
        "the coordinators' outbox": reverse("cohorts_outbox:index"),
        "the coordinators' matching": reverse("cohorts_matching:workspace",
                                              args=[portal.open_cohort.pk]),
        "the letter": reverse("cohorts_reports:letter", args=[pair.pk]),
    }  # fmt: skip
    for where, url in listings.items():
        check_page(coordinator, url, [], where, shown=False)


def mentor_user(pair):
    return User.objects.get(pk=pair.mentor.applicant_id)


# ---- The application: the member, the coordinators, the partner ------------------------

APPLICATION_TEXT = {
    "goals": (2000, True),
    "offer": (2000, True),
    "availability": (300, False),
    "avoid_pairing_with": (1000, True),
    "identity_preferences": (1000, True),
}


def test_application_answers_are_escaped_for_the_member_the_coordinators_and_the_partner(
    portal,
):
    """The open cohort's application form, as the member edits a submitted application:
    the member's page, the coordinators' application and matching screens; then, carried to
    the pair's application as matching carries it, the partner's page and e-mail."""
    from cohorts.models import Application
    from cohorts.program.forms import ApplicationForm, commitment_sentence

    page = portal.application_page()
    mentee_user = portal.pair.mentee.applicant
    application = Application.objects.get(cohort=page.cohort, applicant=mentee_user)
    mentee, coordinator = portal.client("mentee"), portal.client("coordinator")
    form = ApplicationForm(
        commitment=commitment_sentence(page=page, cohort=page.cohort), application=application
    )
    current = {
        **form_data(form),
        "role": "both",
        "mentee_capacity": "1",
        "commitment": "on",
        "application": str(application.pk),
        "action": "submit",
    }
    inspect = reverse("cohorts_application:inspect", args=[application.pk])
    stored = {name: [] for name in APPLICATION_TEXT}
    for step in steps(APPLICATION_TEXT):
        values = joined(step, APPLICATION_TEXT)
        response = mentee.post(page.url, {**current, **values})
        assert response.status_code == 302, response.context["form"].errors
        current.update(values)
        shown = [p for group in step.values() for p in group]
        for name, group in step.items():
            stored[name] += group
        check_page(mentee, page.url, shown, "the member's application")
        check_page(coordinator, inspect, shown, "the coordinators' application")
        check_page(coordinator, reverse("cohorts_application:index"), [], "the applications",
                   shown=False)  # fmt: skip
    assert_covered(stored, APPLICATION_TEXT)
    check_page(
        coordinator,
        reverse("cohorts_matching:workspace", args=[page.cohort.pk]),
        [],
        "the coordinators' matching",
        shown=False,
    )

    # The partner reads the mentee's goals (and a "both" applicant's offer) from the pair's
    # application, which matching made from what the member wrote.
    pair, mentor = portal.pair, portal.client("mentor")
    for group in payload_groups(stored["goals"], 2000, 1):
        Application.objects.filter(pk=pair.mentee_id).update(goals="\n".join(group))
        check_page(mentor, portal.pair_url(), group, "the mentor's pair page")
        check_page(mentor, reverse("member_profile"), group, "the mentor's account page")
        check_emails(reminder(ReminderKind.MATCHED, mentor_user(pair), pair), group,
                     "the mentor's 'you are matched' e-mail")  # fmt: skip


def test_withdrawal_reasons_are_escaped_for_the_member_and_the_coordinators(portal):
    from cohorts.choices import ApplicationStatus
    from cohorts.models import Application

    page = portal.application_page()
    application = Application.objects.get(
        cohort=page.cohort, applicant=portal.pair.mentee.applicant
    )
    mentee, coordinator = portal.client("mentee"), portal.client("coordinator")
    inspect = reverse("cohorts_application:inspect", args=[application.pk])

    def withdraw(reason):
        Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.SUBMITTED)
        response = mentee.post(page.url, {"action": "withdraw", "reason": reason})
        if response.status_code == 302:
            application.refresh_from_db()
            assert lines(application.withdraw_reason) == lines(reason)
            shown = [p for p in PAYLOADS if p in reason]
            check_page(mentee, page.url, shown, "the member's application")
            check_page(coordinator, inspect, shown, "the coordinators' application")
        return response

    stored, refused = submit_packed(withdraw, PAYLOADS, 500, where="withdrawal")
    assert len(stored) >= MOST, len(stored)


# ---- The public: the contact form, sign-up, search ---------------------------------------


def test_contact_messages_are_escaped_in_the_admin_and_mailed_as_plain_text(
    portal, django_capture_on_commit_callbacks
):
    from wagtail.contrib.forms.models import FormSubmission

    page = portal.contact_page()
    fields = {field.field_type: field.clean_name for field in page.get_form_fields()}
    visitor = Client(raise_request_exception=False)

    def send(name_and_message):
        before = FormSubmission.objects.count()
        response = visitor.post(
            page.url,
            {
                fields["singleline"]: name_and_message[:255],
                fields["email"]: "visitor@example.org",
                fields["multiline"]: name_and_message,
            },
        )
        response.stored = FormSubmission.objects.count() > before
        return response

    with django_capture_on_commit_callbacks(execute=True):
        stored, _ = submit_packed(
            send, PAYLOADS, 255, multiline=False, where="contact form",
            accepted=lambda response: response.stored,
        )  # fmt: skip
    assert len(stored) >= ONE_LINE_MOST, len(stored)
    check_page(portal.client("admin"), reverse("wagtailforms:list_submissions", args=[page.pk]),
               [], "the contact form's submissions", shown=False)  # fmt: skip
    to_chair = [m for m in mail.outbox if "visitor@example.org" in m.reply_to]
    assert len(to_chair) >= len(stored) // 10
    for message in to_chair:
        assert not html_parts(message), "the contact e-mail is plain text"
    text = "\n".join(message.body for message in to_chair)
    assert not [line for p in stored for line in lines(p) if line not in text]


def test_signup_names_are_escaped_on_the_coordinators_screens(portal):
    """First and last name and member number given at sign-up, as the coordinators see them
    when they verify the new member."""
    from members.models import MemberProfile

    fields = {"first_name": (150, False), "last_name": (150, False), "member_number": (32, False)}
    visitor = Client(raise_request_exception=False)
    coordinator = portal.client("coordinator")
    stored = {name: [] for name in fields}
    for number, step in enumerate(steps(fields)):
        values = {"first_name": "Sam", "last_name": "Signup", **joined(step, fields)}
        response = visitor.post(
            reverse("account_signup"),
            {
                "email": f"signup{number}@example.org",
                "password1": "a-long-pass-phrase-9",
                "password2": "a-long-pass-phrase-9",
                **values,
            },
            REMOTE_ADDR=f"192.0.2.{number + 1}",  # sign-ups are rate-limited per address
        )
        assert response.status_code == 302, response.context["form"].errors
        for name, group in step.items():
            stored[name] += group
        profile = MemberProfile.objects.get(user__email=f"signup{number}@example.org")
        shown = [p for group in step.values() for p in group]
        check_page(coordinator, reverse("members_member:decide", args=[profile.pk]), shown,
                   "the coordinators' decision page")  # fmt: skip
    assert_covered(stored, fields)
    for page_number in (1, 2, 3):
        url = reverse("members_member:index") + f"?p={page_number}"
        check_page(coordinator, url, [], "the coordinators' members", shown=False)
    for message in mail.outbox:
        for html in html_parts(message):
            assert_no_markup(html, PAYLOADS, f"e-mail {message.subject!r}")


def test_search_queries_are_shown_escaped(portal):
    visitor = Client(raise_request_exception=False)

    def search(query):
        response = visitor.get("/search/", {"query": query})
        assert_no_markup(body(response), PAYLOADS, "the search page")
        shown = [p for p in PAYLOADS if p in query and len(query) <= 200]
        assert_shown_escaped(body(response), shown, "the search page")
        return response

    stored, _ = submit_packed(
        search, PAYLOADS, 200, multiline=False, where="search",
        accepted=lambda response: response.status_code == 200,
    )  # fmt: skip
    assert len(stored) >= ONE_LINE_MOST
