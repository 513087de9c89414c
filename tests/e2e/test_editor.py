"""An editor changes the program overview in the Wagtail admin and publishes it."""

from playwright.sync_api import Page, expect

from home.models import HomePage
from tests.e2e.browser import log_in


def test_demo_editor_rewrites_the_overview_and_publishes_it(page: Page, demo_server):
    home = HomePage.objects.get()
    log_in(page, f"{demo_server}/admin/", "editor@example.org")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()

    page.goto(f"{demo_server}/admin/pages/{home.pk}/edit/")
    intro = page.locator("#id_intro")
    intro.fill("Applications for the next cohort open in January.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("published")

    page.goto(demo_server)
    expect(page.locator(".hero .lede")).to_have_text(
        "Applications for the next cohort open in January."
    )


def test_a_news_title_with_a_year_range_keeps_the_years_apart_in_its_slug(page: Page, demo_server):
    from resources.models import NewsIndexPage

    news = NewsIndexPage.objects.get()
    log_in(page, f"{demo_server}/admin/", "editor@example.org")
    page.goto(f"{demo_server}/admin/pages/add/resources/newspage/{news.pk}/")
    page.locator("#id_title").fill("Applications for 2027–2028 are open")
    page.locator("#id_title").blur()
    page.get_by_role("tab", name="Promote").click()
    expect(page.locator("#id_slug")).to_have_value("applications-for-2027-2028-are-open")
    # An editor typing the slug by hand gets the same.
    page.locator("#id_slug").fill("cohort 2027—2028")
    page.locator("#id_slug").blur()
    expect(page.locator("#id_slug")).to_have_value("cohort-2027-2028")


def test_the_editor_copies_the_newest_cohort_from_the_dashboard_and_publishes_it_whole(
    page: Page, demo_server
):
    """Dashboard → copy → check the words pointed out → publish: the cohort and its Apply
    page go live together, with the intro's years moved."""
    from cohorts.models import ApplicationPage, CohortPage

    newest = CohortPage.objects.order_by("-applications_open").first()
    start, end = newest.formal_start.year, newest.formal_end.year
    newest.intro = f"The {start}–{end} program year, and the next program year after it."
    newest.save_revision().publish()
    log_in(page, f"{demo_server}/admin/", "editor@example.org")

    page.get_by_role("link", name=f"Copy the {newest.title} to next year").click()
    expect(page.get_by_text("next program year", exact=True)).to_be_visible()
    page.get_by_role("button", name=f"Create {start + 1}–{end + 1} cohort").click()
    expect(page.locator(".messages")).to_contain_text("next program year")
    expect(page.locator("#id_intro")).to_have_value(
        f"The {start + 1}–{end + 1} program year, and the next program year after it."
    )
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("Published with it: Apply")

    copy = CohortPage.objects.get(slug=f"{start + 1}-{end + 1}")
    assert copy.live and ApplicationPage.objects.child_of(copy).get().live
    page.goto(demo_server + copy.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(copy.title)
