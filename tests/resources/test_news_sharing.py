"""News and resources as visitors share and follow them: pictures with their description,
the Atom feed, canonical and OpenGraph tags, and readable document names."""

import re

import feedparser
import pytest
from django.core.exceptions import ValidationError
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from home.templatetags.content_tags import document_label
from resources.models import IMAGE_ALT_REQUIRED, NewsPage, ResourcePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture():
    return Image.objects.create(title="Mentors at the reception", file=get_test_image_file())


def test_a_page_image_needs_its_description(demo_site, picture):
    news = NewsPage.objects.live().first()
    news.image = picture
    news.image_alt = "  "
    with pytest.raises(ValidationError) as error:
        news.full_clean()
    assert error.value.message_dict["image_alt"] == [IMAGE_ALT_REQUIRED]


def test_news_image_shows_on_the_page_in_lists_and_when_shared(client, demo_site, picture):
    news = NewsPage.objects.live().first()
    news.image = picture
    news.image_alt = "Two members talking at the conference reception"
    news.save_revision().publish()
    page_html = client.get(news.url).content.decode()
    assert 'alt="Two members talking at the conference reception"' in page_html
    assert re.search(
        r'<meta property="og:image" content="http://testserver/media/[^"]+"', page_html
    )
    assert '<meta property="og:type" content="article">' in page_html
    for listing in ["/news/", "/"]:
        html = client.get(listing).content.decode()
        assert 'class="card__image"' in html, listing
        assert 'alt="Two members talking at the conference reception"' in html, listing


def test_public_pages_name_their_canonical_address_at_the_public_host(client, demo_site, settings):
    settings.SITE_URL = "https://mentoring.example.org"
    html = client.get("/resources/guide-for-mentors/").content.decode()
    url = "https://mentoring.example.org/resources/guide-for-mentors/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="A guide for mentors">' in html
    assert '<meta property="og:type" content="website">' in html
    assert 'rel="canonical"' not in client.get("/search/?query=mentor").content.decode()


def test_news_feed_is_atom_with_the_newest_news_first(client, demo_site):
    index = NewsPage.objects.live().first().get_parent()
    older = index.add_child(
        instance=NewsPage(
            title="Orientation recording online", date="2001-01-05", intro="Watch it"
        )
    )
    older.save_revision().publish()
    response = client.get("/news/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert titles[-1] == "Orientation recording online"
    assert len(titles) == NewsPage.objects.live().public().count()
    assert all(entry.link.startswith("http://testserver/news/") for entry in feed.entries)
    assert all(entry.id and entry.updated for entry in feed.entries)
    assert '<link rel="alternate" type="application/atom+xml"' in client.get("/").content.decode()


def test_a_news_page_not_yet_public_is_not_in_the_feed(client, demo_site):
    index = NewsPage.objects.live().first().get_parent()
    index.add_child(instance=NewsPage(title="Draft about next year", live=False))
    assert "Draft about next year" not in client.get("/news/feed/").content.decode()


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("orientation-checklist", "Orientation checklist"),
        ("mentoring_agreement_2027", "Mentoring agreement 2027"),
        ("Orientation checklist", "Orientation checklist"),
        ("Guide", "Guide"),
    ],
)
def test_a_document_reads_by_its_title_not_its_file_name(title, label):
    assert document_label(Document(title=title)) == label


def test_resource_download_button_reads_as_words(client, demo_site):
    resource = ResourcePage.objects.exclude(document=None).first()
    resource.document.title = "orientation-checklist"
    resource.document.save()
    html = client.get(resource.url).content.decode()
    assert "Download Orientation checklist" in html
    assert "orientation-checklist" not in html.split('class="download"')[1].split("</a>")[0]
