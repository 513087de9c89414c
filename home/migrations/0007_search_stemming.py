"""Search with stemming on SQLite: "mentor" finds "mentors", "resource" finds "resources".

Wagtail's SQLite search backend keeps its full-text index in the FTS5 table that
wagtailsearch's migration 0006 makes with FTS5's default tokenizer, which matches whole words
only; its backend has no option for another. This migration makes the table again with the
porter stemmer over unicode61 (https://www.sqlite.org/fts5.html#porter_tokenizer) and fills
it from the index entries, so what is already indexed is found by stem at once. The backend
quotes every search term, and FTS5 runs a quoted term through the table's tokenizer, so the
terms are stemmed as the text is. Wagtail's triggers keep writing into the table by name.

PostgreSQL stems through the backend's SEARCH_CONFIG (portal/settings/base.py); nothing to
do there. Without FTS5 the backend falls back to plain matching and there is no table.
"""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
ENTRY_TABLE = "wagtailsearch_indexentry"
STEMMING = ", tokenize='porter unicode61'"


def _make_fts_table(tokenizer: str):
    def make(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "sqlite" or FTS_TABLE not in connection.introspection.table_names():
            return
        schema_editor.execute(f"DROP TABLE {FTS_TABLE}")
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title{tokenizer})"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, autocomplete) "
            f"SELECT id, title, body, autocomplete FROM {ENTRY_TABLE}"
        )

    return make


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0006_list_items_name_cohort_dates"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(_make_fts_table(STEMMING), _make_fts_table("")),
    ]
