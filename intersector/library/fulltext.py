"""Full-text matching on the search index that Wagtail's search (modelsearch) keeps.

modelsearch indexes every item on save (title, body, per model; see search_fields). Its own
query path joins the index back to the items with `pk IN (text object ids)` and ranks with a
correlated subquery per row: on SQLite that took 0.8 s (unranked) and 30 s (ranked) for 10,000
resources. Here the same index is asked once per request for (id, score) pairs; the pages then
filter and count on the ORM with that list. Words are matched in all their forms: the SQLite
index uses the Porter stemmer (library migration 0002), PostgreSQL's text search stems too.
"""

import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend


def _tables():
    entry = get_app_config().get_model("IndexEntry")._meta.db_table
    return entry, entry + "_fts"


def _sqlite(content_type, words, among=None):
    entries, fts = _tables()
    terms = " AND ".join('"%s"' % word.replace('"', "") for word in words.split())
    match = "{title body} : (%s)" % terms
    if among is None:
        # Matching only: the text index is asked once (the IN list), and the entries of the
        # content type are read from their (content type, object id) index alone. Looking each
        # match up in the entries table instead reads their long texts too (2.4 ms, not 0.9 ms,
        # for 1,000 matches). The + keeps SQLite from using the id for that lookup anyway.
        sql = (
            f"SELECT e.object_id, 0 FROM {entries} e WHERE e.content_type_id = %s "
            f"AND +e.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        )
        params = [content_type, match]
    else:
        # Scoring (bm25) needs the text index's own cursor, and costs more than matching: only
        # the items a page will order are scored. CROSS JOIN makes SQLite read the text index
        # first; left to itself, it walked every entry of the content type and re-ran the whole
        # text match for each (7 s for 10,000 resources).
        sql = (
            f"SELECT e.object_id, bm25({fts}, 0.0, 1.0, 2.0) FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND e.content_type_id = %s "
            "AND e.object_id IN (SELECT CAST(value AS TEXT) FROM json_each(%s))"
        )
        params = [match, content_type, json.dumps([int(pk) for pk in among])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # bm25 is lower for better matches: negate it so that higher is better everywhere.
        return {int(object_id): -score for object_id, score in cursor.fetchall()}


def _postgres(content_type, words, among=None):
    entries, _fts = _tables()
    config = get_search_backend().config
    tsquery = "plainto_tsquery(%s::regconfig, %s)" if config else "plainto_tsquery(%s)"

    def params(text):
        return [config, text] if config else [text]

    with connection.cursor() as cursor:
        # Words the text search ignores ("the", "of") would match nothing on their own: drop them.
        if config:
            check = "SELECT w FROM unnest(%s::text[]) AS w WHERE numnode(plainto_tsquery(%s::regconfig, w)) > 0"
            cursor.execute(check, [words.split(), config])
        else:
            check = "SELECT w FROM unnest(%s::text[]) AS w WHERE numnode(plainto_tsquery(w)) > 0"
            cursor.execute(check, [words.split()])
        kept = [row[0] for row in cursor.fetchall()]
        if not kept:
            return {}
        # Every word in the title or the body, with the match operator on the GIN-indexed columns
        # (one index lookup per word; never `rank > 0`, which reads every row).
        each_word = " AND ".join(f"(e.title @@ {tsquery} OR e.body @@ {tsquery})" for _ in kept)
        # Ranking joins two text vectors per row: do it only for the items a page will order.
        score = f"ts_rank(e.title || e.body, {tsquery})" if among is not None else "0"
        score_params = params(" ".join(kept)) if among is not None else []
        sql = f"SELECT e.object_id, {score} FROM {entries} e WHERE e.content_type_id = %s AND {each_word}"
        word_params = [p for word in kept for p in params(word) * 2]
        if among is not None:
            sql += " AND e.object_id = ANY(%s::text[])"
            word_params.append([str(int(pk)) for pk in among])
        cursor.execute(sql, score_params + [content_type] + word_params)
        return {int(object_id): float(score) for object_id, score in cursor.fetchall()}


def _other(model, words, among=None):
    results = get_search_backend().search(words, model.objects.filter(live=True), operator="and")
    ranked = list(results.get_queryset().values_list("pk", flat=True))
    return {pk: float(len(ranked) - position) for position, pk in enumerate(ranked)}


def match_scores(model, words, among=None):
    """{primary key: score} of the items of `model` whose indexed text has all the words.

    Without `among`, every score is 0 (matching only: cheap). With `among` (ids), only those
    items are looked at, and they are scored for relevance.
    """
    if not words.strip() or (among is not None and not among):
        return {}
    content_type = ContentType.objects.get_for_model(model).pk
    if connection.vendor == "sqlite":
        return _sqlite(content_type, words, among)
    if connection.vendor == "postgresql":
        return _postgres(content_type, words, among)
    scores = _other(model, words)
    return scores if among is None else {pk: scores[pk] for pk in among if pk in scores}


def id_subquery(ids):
    """An SQL set of ids for `pk__in=`, sent as ONE parameter.

    Django turns `pk__in=[...]` into one parameter per id, and preparing thousands of them
    cost more than the queries themselves (0.7 s for five queries over 5,600 matches).
    """
    from django.db.models.expressions import RawSQL

    ids = [int(pk) for pk in ids]
    if connection.vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return ids
