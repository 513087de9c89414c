"""A member logs in with the association's account, on the provider's own login page, and
lands on their account page, verified."""

import datetime

from playwright.sync_api import Page, expect


def test_a_member_logs_in_with_the_association_and_is_verified(page: Page, sso_server):
    server, provider = sso_server
    expires = datetime.date.today() + datetime.timedelta(days=200)
    provider.accounts(
        ines={
            "email": "ines.okafor@example.edu",
            "email_verified": True,
            "given_name": "Ines",
            "family_name": "Okafor",
            "member_number": "M900001",
            "membership_expires": expires.isoformat(),
        }
    )

    page.goto(f"{server}/accounts/login/")
    page.get_by_role("button", name="Log in with your Library Association account").click()
    page.locator("input[name=login]").fill("ines")
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_role("heading", name="Verified member")).to_be_visible()
    expect(page.get_by_text(f"until {expires:%B} {expires.day}, {expires.year}")).to_be_visible()
