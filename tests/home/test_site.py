"""Site-wide pieces: navigation, landmarks, search, sitemap, robots.txt, error pages."""

import re

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from home.models import SiteSettings, StandardPage
from tests.factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def menu_titles(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav" aria-label="Main">(.*?)</nav>', html, re.S).group(1)
    return [title.strip() for title in re.findall(r"<a [^>]*>([^<]*)</a>", nav)]


def test_menu_lists_pages_marked_show_in_menus_in_tree_order(client, demo_site):
    home = demo_site.root_page
    StandardPageFactory(parent=home, title="Hidden from menu", show_in_menus=False)
    html = client.get("/").content.decode()
    assert menu_titles(html) == [
        "Overview",
        "Resources",
        "News",
        "About the program",
        "Cohorts",
        "Contact the chair",
    ]


def test_menu_marks_the_current_section(client, demo_site):
    html = client.get("/resources/guide-for-mentors/").content.decode()
    assert '<a href="/resources/" aria-current="true">Resources</a>' in html


def test_pages_have_landmarks_skip_link_and_one_h1(client, demo_site):
    for url in ["/", "/resources/", "/news/", "/about/", "/contact/", "/search/?query=mentor"]:
        html = Client().get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in html, url
        assert '<main id="main"' in html and "<header" in html and "<footer" in html, url
        assert html.count("<h1") == 1, url
        assert '<html lang="en">' in html, url


def test_footer_shows_the_editable_site_settings(client, demo_site):
    SiteSettings.objects.filter(site=demo_site).update(footer_text="Run by volunteers.")
    html = client.get("/").content.decode()
    assert "Run by volunteers." in html
    assert "Chair, ALCTS Mentoring Subcommittee" in html


def test_search_finds_public_pages(client, demo_site):
    html = client.get("/search/", {"query": "agreement"}).content.decode()
    assert "Mentoring agreement template" in html


def test_search_never_shows_restricted_or_draft_pages_even_by_title(client, demo_site):
    home = demo_site.root_page
    private = StandardPageFactory(parent=home, title="Zanzibar committee minutes")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = StandardPageFactory(parent=home, title="Zanzibar draft plans")
    draft.unpublish()
    html = client.get("/search/", {"query": "Zanzibar"}).content.decode()
    assert "0 results" in html
    assert "Zanzibar committee minutes" not in html
    assert "Zanzibar draft plans" not in html


def test_search_survives_odd_input(client, demo_site, hostile_inputs):
    for query in [*hostile_inputs, "a" * 5000, ""]:
        response = client.get("/search/", {"query": query, "page": "9999"})
        assert response.status_code == 200, query
        if "<" in query:
            assert query[:200] not in response.content.decode()
    assert client.get("/search/", {"query": "mentor", "page": "x"}).status_code == 200


def test_sitemap_lists_public_pages_only(client, demo_site):
    home = demo_site.root_page
    private = StandardPageFactory(parent=home, slug="private-minutes")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/resources/guide-for-mentors/</loc>" in xml
    assert "/news/alcts-launching-new-mentoring-program/</loc>" in xml
    assert "private-minutes" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_unknown_address_gets_the_friendly_404_page(client, demo_site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sorry, there is no page at this address" in response.content.decode()


def test_server_error_page_renders_without_a_database_or_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_a_child_standard_page_shows_breadcrumbs(client, demo_site):
    about = StandardPage.objects.get(slug="about")
    child = StandardPageFactory(parent=about, title="Past cohorts", slug="past-cohorts")
    html = client.get(child.url).content.decode()
    assert '<nav class="container breadcrumbs" aria-label="Breadcrumb">' in html
    assert '<li><a href="/about/">About the program</a></li>' in html
    assert '<span aria-current="page">Past cohorts</span>' in html


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("javascript:alert(1)", "javascript alert 1"),
        ('mentor AND "NOT" NEAR(x*)', "mentor and not near x"),
        ("  ", ""),
        ("Café mentoría", "café mentoría"),
        ("w " * 40, " ".join(["w"] * 12)),
    ],
)
def test_search_terms_are_plain_words(typed, terms):
    from home.selectors import search_terms

    assert search_terms(typed) == terms


def test_menu_marks_only_the_page_itself_on_the_overview_and_sections(client, demo_site):
    home_html = client.get("/").content.decode()
    assert '<a href="/" aria-current="page">Overview</a>' in home_html
    about_html = client.get("/about/").content.decode()
    assert '<a href="/">Overview</a>' in about_html
    assert '<a href="/about/" aria-current="page">About the program</a>' in about_html
    assert 'aria-current="true"' not in about_html


def test_contact_page_shows_its_rich_text_intro_once_and_as_html(client, demo_site):
    html = client.get("/contact/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "&lt;p&gt;" not in html
    assert main.count("<p>If you have any questions about the application process") == 1


def test_a_login_restricted_page_sends_visitors_to_the_member_login(client, demo_site):
    private = StandardPageFactory(parent=demo_site.root_page, slug="members-only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    response = client.get(private.url)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/members-only/"


def test_sitemap_holds_no_page_that_sends_a_visitor_to_log_in(client, demo_site):
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert locations
    for location in locations:
        path = re.sub(r"^https?://[^/]+", "", location)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    assert "/my-mentoring/" not in xml
    assert "/apply/</loc>" not in xml


def test_sitemap_addresses_use_the_public_address_of_the_site(client, demo_site, settings):
    settings.SITE_URL = "https://mentoring.example.org:8443"
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert "https://mentoring.example.org:8443/" in locations
    assert all(loc.startswith("https://mentoring.example.org:8443/") for loc in locations)


def test_footer_heading_is_a_heading_and_the_tagline_is_shown(client, demo_site):
    settings_record = SiteSettings.for_site(demo_site)
    settings_record.tagline = "Careers grow one conversation at a time"
    settings_record.save()
    html = client.get("/about/").content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert '<h2 class="site-footer__heading">Contact</h2>' in footer
    assert '<p class="site-footer__heading">' not in footer
    assert "Careers grow one conversation at a time" in footer
