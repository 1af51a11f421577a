"""The controlled vocabularies, and a search index that matches word forms on SQLite.

modelsearch creates its SQLite FTS5 table with the default tokenizer, which does not stem:
a search for "workshops" would miss "workshop". This recreates the table with the Porter
stemmer (and accents folded), then refills it from the index entries. PostgreSQL's full-text
search already stems, so there it does nothing.
"""

from django.db import migrations

FTS_COLUMNS = "autocomplete, body, title"
TOKENIZER = "porter unicode61 remove_diacritics 2"


def fts_tables(cursor):
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%indexentry_fts' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    )
    return [row[0] for row in cursor.fetchall()]


def use_stemming(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in fts_tables(cursor):
            entries = table.removesuffix("_fts")
            cursor.execute(f"DROP TABLE {table}")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5({FTS_COLUMNS}, tokenize='{TOKENIZER}')"
            )
            cursor.execute(
                f"INSERT INTO {table}(rowid, title, body, autocomplete) "
                f"SELECT id, title, body, autocomplete FROM {entries}"
            )


def create_terms(apps, schema_editor):
    from intersector.library import vocab

    Term = apps.get_model("library", "Term")
    for vocabulary, keys in vocab.VOCABULARIES.items():
        for order, (key, label) in enumerate(keys.items()):
            Term.objects.get_or_create(
                vocabulary=vocabulary, key=key, defaults={"name": str(label), "sort_order": order}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(create_terms, migrations.RunPython.noop),
        migrations.RunPython(use_stemming, migrations.RunPython.noop),
    ]
