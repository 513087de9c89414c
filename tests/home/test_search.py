"""The public search: English words found in their other forms on SQLite and PostgreSQL alike,
results named so that two pages of the same title can be told apart, restricted pages never
shown."""

import importlib
import re

import pytest
from django.db import connection
from wagtail.models import PageViewRestriction

from tests.cohorts.factories import ApplicationPageFactory, add_cohort
from tests.factories import ResourceIndexPageFactory, ResourcePageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def result_titles(client, query: str) -> list[str]:
    html = client.get("/search/", {"query": query}).content.decode()
    return [
        re.sub(r"\s+", " ", title).strip()
        for title in re.findall(r'<h3><a href="[^"]*">([^<]*)</a></h3>', html)
    ]


@pytest.fixture
def resources(home):
    index = ResourceIndexPageFactory(parent=home)
    ResourcePageFactory(
        parent=index, title="A guide for mentors", intro="What a year of mentoring asks."
    )
    ResourcePageFactory(
        parent=index, title="Mentoring agreement template", intro="A form both partners sign."
    )
    return index


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("mentor", "A guide for mentors"),
        ("Mentors", "A guide for mentors"),
        ("guides", "A guide for mentors"),
        ("resource", "Resources"),
        ("signing", "Mentoring agreement template"),
    ],
)
def test_search_finds_a_word_in_its_other_forms(client, resources, query, found):
    assert found in result_titles(client, query)


def test_search_still_needs_every_word(client, resources):
    assert result_titles(client, "mentor agreement") == ["Mentoring agreement template"]
    assert result_titles(client, "mentor zanzibar") == []


def test_stemming_keeps_restricted_and_draft_pages_out(client, resources, home):
    private = StandardPageFactory(parent=home, title="Mentors' committee minutes")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    StandardPageFactory(parent=home, title="Mentors draft plans").unpublish()
    titles = result_titles(client, "mentor")
    assert "A guide for mentors" in titles
    assert not [title for title in titles if "committee" in title or "draft" in title]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_stems_english_whatever_the_database_default(client, home):
    # A database made with another locale stems in its language, or not at all (this one
    # is made with --no-locale, whose default is English); the test transaction undoes it.
    with connection.cursor() as cursor:
        cursor.execute("SET default_text_search_config = 'pg_catalog.simple'")
    index = ResourceIndexPageFactory(parent=home)
    ResourcePageFactory(parent=index, title="A guide for mentors")
    assert "A guide for mentors" in result_titles(client, "mentor")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_the_sqlite_index_uses_the_porter_stemmer_after_migrate(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'wagtailsearch_indexentry_fts'")
        (sql,) = cursor.fetchone()
    assert "tokenize='porter unicode61'" in sql


def test_application_pages_are_named_with_their_cohort(client, home, resources):
    from cohorts.program.models import CohortIndexPage

    index = home.add_child(instance=CohortIndexPage(title="Cohorts", slug="cohorts"))
    for year in (2026, 2027):
        ApplicationPageFactory(parent=add_cohort(index, year=year))
    titles = result_titles(client, "apply")
    assert "Apply — 2026–2027 cohort" in titles
    assert "Apply — 2027–2028 cohort" in titles
    assert "Apply" not in titles


def test_result_titles_cost_one_query_however_many_results(
    client, home, resources, django_assert_max_num_queries
):
    from cohorts.program.models import CohortIndexPage

    index = home.add_child(instance=CohortIndexPage(title="Cohorts", slug="cohorts"))
    ApplicationPageFactory(parent=add_cohort(index, year=2026))
    with django_assert_max_num_queries(30) as few:
        client.get("/search/", {"query": "apply"})
    for year in range(2027, 2035):
        ApplicationPageFactory(parent=add_cohort(index, year=year))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/search/", {"query": "apply"}).content.decode()
    assert "Apply — 2034–2035 cohort" in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table exists on SQLite only")
def test_the_migration_stems_what_was_indexed_before_it(client, resources):
    migration = importlib.import_module("home.migrations.0007_search_stemming")

    class Editor:
        def __init__(self, cursor):
            self.connection, self.execute = connection, cursor.execute

    with connection.cursor() as cursor:
        migration._make_fts_table("")(None, Editor(cursor))  # the table Wagtail makes
    assert "A guide for mentors" not in result_titles(client, "mentor")
    assert "A guide for mentors" in result_titles(client, "mentors")
    with connection.cursor() as cursor:
        migration._make_fts_table(migration.STEMMING)(None, Editor(cursor))
    assert "A guide for mentors" in result_titles(client, "mentor")
