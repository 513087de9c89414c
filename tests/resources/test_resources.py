"""Resources filtered by topic, their kinds, and the news listing."""

import pytest
from django.core.exceptions import ValidationError

from resources.models import (
    NEWS_PER_PAGE,
    RESOURCE_DOCUMENT_REQUIRED,
    RESOURCE_LINK_REQUIRED,
    ResourceIndexPage,
    ResourceKind,
    ResourcePage,
)
from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    ResourceTopicFactory,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [page.title for page in response.context["resources"]]


def test_topic_filter_shows_only_that_topics_resources(client, demo_site):
    response = client.get("/resources/", {"topic": "career-planning"})
    assert titles(response) == ["A guide for mentees"]
    assert response.context["selected_topic"].name == "Career planning"
    assert "Resources on career planning" in response.content.decode()


def test_unknown_or_hostile_topic_shows_everything(client, demo_site, hostile_inputs):
    for topic in ["no-such-topic", *hostile_inputs[:20]]:
        response = client.get("/resources/", {"topic": topic})
        assert response.status_code == 200
        assert len(titles(response)) == 4


def test_topics_offered_are_only_those_with_published_resources(client, home):
    index = ResourceIndexPageFactory(parent=home)
    used, unused = ResourceTopicFactory(name="Used"), ResourceTopicFactory(name="Unused")
    resource = ResourcePageFactory(parent=index)
    resource.topics.set([used])
    resource.save_revision().publish()
    draft = ResourcePageFactory(parent=index, live=False)
    draft.topics.set([unused])
    response = client.get(index.url)
    assert [t.name for t in response.context["topics"]] == ["Used"]


def test_resource_listing_takes_a_fixed_number_of_queries(
    client, home, django_assert_max_num_queries
):
    index = ResourceIndexPageFactory(parent=home)
    topic = ResourceTopicFactory()
    for _ in range(15):
        page = ResourcePageFactory(parent=index)
        page.topics.set([topic])
    client.get(index.url)
    with django_assert_max_num_queries(20):
        response = client.get(index.url)
    assert len(titles(response)) == 15


def test_document_and_link_resources_need_their_target(home):
    index = ResourceIndexPageFactory(parent=home)
    document = ResourcePage(title="Template", slug="t", kind=ResourceKind.DOCUMENT)
    link = ResourcePage(title="Link", slug="l", kind=ResourceKind.LINK)
    for page, field, message in [
        (document, "document", RESOURCE_DOCUMENT_REQUIRED),
        (link, "external_url", RESOURCE_LINK_REQUIRED),
    ]:
        with pytest.raises(ValidationError) as error:
            index.add_child(instance=page)
        assert error.value.message_dict[field] == [message]
    assert ResourcePage.objects.count() == 0


def test_news_is_newest_first_and_paginated(client, home):
    news = NewsIndexPageFactory(parent=home)
    for _ in range(NEWS_PER_PAGE + 2):
        NewsPageFactory(parent=news)
    first = client.get(news.url).context["news_page"]
    second = client.get(news.url, {"page": 2}).context["news_page"]
    dates = [item.date for item in first]
    assert dates == sorted(dates, reverse=True) and len(dates) == NEWS_PER_PAGE
    assert len(second) == 2
    assert client.get(news.url, {"page": "abc"}).status_code == 200


def test_resource_index_is_a_singleton(home):
    ResourceIndexPageFactory(parent=home)
    assert not ResourceIndexPage.can_create_at(home)
