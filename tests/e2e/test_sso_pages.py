"""allauth's sign-on pages a member can reach (the linked account, a cancelled or failed
login, the sign-up form) render inside the site's layout, in its words, pass axe-core with
no serious or critical violation and no Content-Security-Policy report, and are valid HTML
(the Nu HTML Checker, as in test_html.py)."""

import datetime

from playwright.sync_api import Page, expect

from tests.e2e.html_checker import validate


def claims(email: str, given: str, family: str, number: str) -> dict:
    expires = datetime.date.today() + datetime.timedelta(days=200)
    return {
        "email": email,
        "email_verified": True,
        "given_name": given,
        "family_name": family,
        "member_number": number,
        "membership_expires": expires.isoformat(),
    }


def log_in_with_the_association(page: Page, server: str, login: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.get_by_role("button", name="Log in with your Library Association account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").first.click()


def in_site_layout(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("header.site-header")).to_be_attached()
    expect(page.locator("footer.site-footer")).to_be_visible()
    expect(page.locator("body")).to_have_class("account-page")
    assert page.title().startswith(title)


def test_the_sign_on_pages_a_member_reaches_are_the_sites_own(
    page: Page, sso_server, audited, settings, tmp_path
):
    server, provider = sso_server
    provider.accounts(
        ines=claims("ines.okafor@example.edu", "Ines", "Okafor", "M900001"),
        ana=claims("ana.ruiz@example.edu", "Ana", "Ruiz", "M900002"),
    )
    problems, sources = [], {}

    def check(name: str, title: str, *, source: str | None = None) -> None:
        in_site_layout(page, title)
        problems.extend(audited(name))
        sources[name] = source or page.request.get(page.url).text()

    log_in_with_the_association(page, server, "ines")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    page.goto(f"{server}/accounts/3rdparty/")
    check("connections", "Your association sign-on")
    expect(page.get_by_text("Library Association: ines.okafor@example.edu")).to_be_visible()

    page.get_by_role("button", name="Unlink").click()
    check("connections-refused", "Your association sign-on", source=page.content())
    expect(page.get_by_text("Your account has no password, so without this link")).to_be_visible()

    page.goto(f"{server}/accounts/3rdparty/login/cancelled/")
    check("cancelled", "Login with the association cancelled")
    page.goto(f"{server}/accounts/3rdparty/login/error/")
    check("error", "Login with the association failed")

    page.context.clear_cookies()
    settings.SOCIALACCOUNT_AUTO_SIGNUP = False
    log_in_with_the_association(page, server, "ana")
    expect(page).to_have_url(f"{server}/accounts/3rdparty/signup/")
    check("signup", "Create your account", source=page.content())
    expect(page.get_by_label("E-mail")).to_have_value("ana.ruiz@example.edu")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")

    assert problems == []
    assert {name: errors for name, errors in validate(sources, tmp_path).items() if errors} == {}
