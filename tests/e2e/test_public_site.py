"""A visitor reads the overview, finds the resources and writes to the chair."""

import re

from django.core import mail
from playwright.sync_api import Page, expect
from wagtail.contrib.forms.models import FormSubmission

PHONE = {"width": 375, "height": 740}


def test_visitor_reads_overview_finds_resources_and_contacts_the_chair(page: Page, demo_server):
    page.goto(demo_server)
    expect(page.get_by_role("heading", level=1)).to_have_text("ALCTS Mentoring Program: Overview")
    expect(page.get_by_role("heading", name="Mentoring Program Guidelines")).to_be_visible()

    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Resources").click()
    expect(page).to_have_url(re.compile(r"/resources/$"))
    expect(page.get_by_role("heading", name="A guide for mentors")).to_be_visible()
    page.get_by_role("navigation", name="Filter by topic").get_by_role(
        "link", name="Career planning"
    ).click()
    expect(page.get_by_role("heading", name="A guide for mentees")).to_be_visible()
    expect(page.get_by_role("heading", name="A guide for mentors")).to_have_count(0)

    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="Contact the chair").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Contact the chair")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the 3 problems below")

    page.get_by_label("Your name").fill("Mei Haddad")
    page.get_by_label("Your e-mail address").fill("mei.haddad@example.edu")
    page.get_by_label("Your question is about").select_option("Being a mentee")
    page.get_by_label("Message").fill("Can I apply as both a mentor and a mentee?")
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_text("Your message has been sent to the chair")).to_be_visible()
    assert FormSubmission.objects.count() == 1
    [message] = mail.outbox
    assert message.to == ["mentoring-chair@example.org"]
    assert "Can I apply as both a mentor and a mentee?" in message.body


def test_phone_visitor_can_use_every_public_page_without_sideways_scrolling(
    page: Page, demo_server
):
    page.set_viewport_size(PHONE)
    for path in ["/", "/resources/", "/news/", "/about/", "/contact/", "/search/?query=mentee"]:
        page.goto(demo_server + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path
        # On a phone the main menu sits behind the header's "Menu" button.
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_keyboard_user_can_skip_to_the_content(page: Page, demo_server):
    page.goto(demo_server + "/about/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_visitor_finds_pages_by_another_form_of_a_word(page: Page, demo_server):
    page.goto(demo_server + "/search/")
    form = page.get_by_role("search", name="Search results")
    form.get_by_label("Search the program's pages").fill("mentor")
    form.get_by_role("button", name="Search").click()
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="A guide for mentors")).to_be_visible()

    form.get_by_label("Search the program's pages").fill("apply")
    form.get_by_role("button", name="Search").click()
    applies = results.get_by_role("link", name=re.compile(r"^Apply — \d{4}–\d{4} cohort$"))
    expect(applies).to_have_count(2)
    expect(results.get_by_role("link", name="Apply", exact=True)).to_have_count(0)
