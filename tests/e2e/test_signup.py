"""A member signs up, confirms their e-mail address and reaches their account page."""

import datetime
import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import Page, expect

from members.models import MemberRoster

PASSWORD = "a-long-pass-phrase"
PHONE = {"width": 375, "height": 740}


def sign_up(page: Page, server: str, *, email: str, first_name: str, last_name: str) -> None:
    page.goto(server)
    menu = page.get_by_text("Menu", exact=True)
    if menu.is_visible():  # on a phone the account links sit behind the header's menu
        menu.click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")


def confirm_from_the_email(page: Page, server: str, *, email: str) -> None:
    [message] = [message for message in mail.outbox if message.to == [email]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(server + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(page.get_by_text(email)).to_be_visible()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


def assert_no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, page.url


def test_member_on_the_roster_is_verified_as_soon_as_the_email_is_confirmed(
    page: Page, demo_server
):
    MemberRoster.objects.create(
        member_number="M900001",
        email="ines.okafor@example.edu",
        first_name="Ines",
        last_name="Okafor",
        membership_expires=datetime.date.today() + datetime.timedelta(days=365),
    )
    sign_up(
        page, demo_server, email="ines.okafor@example.edu", first_name="Ines", last_name="Okafor"
    )
    confirm_from_the_email(page, demo_server, email="ines.okafor@example.edu")

    expect(page.get_by_role("heading", name="Verified member")).to_be_visible()
    expect(page.get_by_text("You can apply to the program")).to_be_visible()
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Your account")).to_be_visible()

    account.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")
    ).to_be_visible()


def test_unknown_member_on_a_phone_waits_for_a_coordinator_and_fills_in_the_profile(
    page: Page, demo_server
):
    page.set_viewport_size(PHONE)
    sign_up(
        page, demo_server, email="tomas.reyes@example.com", first_name="Tomás", last_name="Reyes"
    )
    assert_no_sideways_scrolling(page)
    confirm_from_the_email(page, demo_server, email="tomas.reyes@example.com")

    expect(page.get_by_role("heading", name="Pending verification")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_no_sideways_scrolling(page)

    page.get_by_role("link", name="Edit your profile").click()
    page.get_by_label("Institution").fill("Valley Community College")
    page.get_by_label("Position or job title").fill("Technical services librarian")
    page.get_by_label("Library type").select_option("Academic")
    page.get_by_label("Career stage").select_option("Mid-career (5 to 15 years)")
    page.get_by_label("Time zone").select_option("America/Denver")
    page.get_by_label("Telephone").check()
    assert_no_sideways_scrolling(page)
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Valley Community College")).to_be_visible()
    expect(page.get_by_text("America/Denver")).to_be_visible()
    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/delete/"]:
        page.goto(demo_server + path)
        assert_no_sideways_scrolling(page)
