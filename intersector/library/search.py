"""Finding things in Learn: full-text search (Wagtail's search) plus facets counted on the ORM.

One `Listing` describes what a reader asked for (words, filters, sort, page) and answers with
the page of results, the facet counts and the highlighted snippets. Pages, the site search and
the read API all use it, so they filter and search the same way.
"""

import hashlib
import html
import re
import threading
from dataclasses import dataclass, field
from typing import Callable

from django.core.paginator import Paginator
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from intersector.library import vocab
from intersector.library.fulltext import id_subquery, match_scores

MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 12
PAGE_SIZE = 20
CACHE_SECONDS = 300
# Characters that mean something to a search engine's query syntax; readers mean none of it.
NOT_WORD = re.compile(r"[^\w\s-]+|_", re.UNICODE)


def clean_query(raw):
    """The reader's words, without query-syntax characters, trimmed to a sensible length."""
    text = NOT_WORD.sub(" ", (raw or "")[:MAX_QUERY_CHARS])
    words = [word.strip("-") for word in text.split()]
    return " ".join([word for word in words if word][:MAX_QUERY_WORDS])


def query_problem(raw, cleaned):
    """Why a query can't be searched as it is: None when it can."""
    if not (raw or "").strip() or not cleaned:
        return "empty"
    if len(cleaned.replace(" ", "")) < 2:
        return "short"
    return None




# --- Facets -----------------------------------------------------------------------------------


@dataclass
class Facet:
    """One filter a reader can tick: its address parameter, heading and where it looks."""

    param: str
    label: str
    lookup: str  # the ORM path to the key, e.g. "sectors__key" or "state"
    many: bool  # True when an item can have several values (a many-to-many path)
    options: Callable[[], list]  # [(key, label)] in display order
    known_keys: Callable[[], set] = None

    def choices(self):
        """options(), asked once per facet: a page reads them for the filters, counts and chips."""
        if not hasattr(self, "_choices"):
            self._choices = list(self.options())
        return self._choices

    def keys_from(self, querydict):
        allowed = self.known_keys() if self.known_keys else {key for key, _label in self.choices()}
        return [key for key in querydict.getlist(self.param) if key in allowed]

    def apply(self, queryset, keys):
        if not keys:
            return queryset
        if self.many:
            # Straight from the link table (one index lookup), so an item with two ticked
            # values is still listed once and the items table is not joined again.
            through, source, target, key = self.link(queryset.model)
            matching = through.objects.filter(**{f"{target}__{key}__in": keys}).values(f"{source}_id")
            return queryset.filter(pk__in=matching)
        return queryset.filter(**{f"{self.lookup}__in": keys})

    def counts(self, queryset):
        """{key: number of items} over `queryset`."""
        if self.many:
            through, source, target, key = self.link(queryset.model)
            rows = (
                through.objects.filter(**{f"{source}_id__in": queryset.order_by().values("pk")})
                .values_list(f"{target}__{key}")
                .annotate(n=Count("pk"))
                .order_by()
            )
        else:
            rows = queryset.order_by().values_list(self.lookup).annotate(n=Count("pk"))
        return {value: n for value, n in rows if value is not None}

    def link(self, model):
        """(link table, its column to the item, its column to the value, the value's key field)."""
        name, key = self.lookup.split("__", 1)
        field = model._meta.get_field(name)
        return field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name(), key


MAX_READ_MATCHES = 20000  # up to this many matches, facets are counted in memory (set operations)


def read_facet_values(queryset, facets):
    """{pk: {facet param: frozenset of keys}} for every item of `queryset`: one query for the
    single-valued facets together, one per many-valued facet (straight from its link table)."""
    single = [facet for facet in facets if not facet.many]
    rows = queryset.order_by().values_list("pk", *[facet.lookup for facet in single])
    values = {row[0]: {facet.param: row[i] for i, facet in enumerate(single, 1)} for row in rows}
    for item in values.values():
        for facet in single:
            item[facet.param] = frozenset(() if item[facet.param] is None else (item[facet.param],))
    for facet in facets:
        if not facet.many:
            continue
        through, source, target, key = facet.link(queryset.model)
        linked = {}
        for pk, value in through.objects.values_list(f"{source}_id", f"{target}__{key}"):
            linked.setdefault(pk, set()).add(value)
        empty = frozenset()
        for pk, item in values.items():
            item[facet.param] = frozenset(linked[pk]) if pk in linked else empty
    return values


_tables = {}
_tables_lock = threading.Lock()


def facet_table(queryset, facets, version):
    """(ids of all the published items, {param: {key: ids}}), kept in memory for this version
    of the library: a curator's edit changes the version, and the next search reads them again."""
    key = (queryset.model._meta.label, tuple((f.param, f.lookup, f.many) for f in facets))
    cached = _tables.get(key)
    if cached and cached[0] == version:
        return cached[1]
    with _tables_lock:
        cached = _tables.get(key)
        if cached and cached[0] == version:
            return cached[1]
        values = read_facet_values(queryset, facets)
        by_value = {facet.param: {} for facet in facets}
        for pk, item in values.items():
            for param, keys in item.items():
                for value in keys:
                    by_value[param].setdefault(value, set()).add(pk)
        table = (frozenset(values), {param: {k: frozenset(ids) for k, ids in keyed.items()}
                                     for param, keyed in by_value.items()})
        _tables[key] = (version, table)
        return table


def term_options(vocabulary):
    return lambda: list(vocab.VOCABULARIES[vocabulary].items())


def term_facet(param, label, vocabulary, lookup, many):
    return Facet(param, label, lookup, many, term_options(vocabulary))


@dataclass
class FacetCounts:
    facet: Facet
    options: list  # [{"key", "label", "count", "selected"}]

    @property
    def selected_count(self):
        return sum(1 for option in self.options if option["selected"])


# --- A listing --------------------------------------------------------------------------------


@dataclass
class Listing:
    """What a reader asked for in one collection, and the answer."""

    queryset: object  # the published items
    facets: list
    sorts: dict  # {key: (label, ordering)}; "relevance" is handled here
    default_sort: str
    querydict: object
    snippet_fields: tuple = ("summary",)
    page_size: int = PAGE_SIZE
    extra: object = None  # a Q() every result must also meet (the search index can't filter on it)

    raw_query: str = ""
    words: str = ""
    problem: str = None
    selected: dict = field(default_factory=dict)
    sort: str = ""

    def __post_init__(self):
        self.raw_query = (self.querydict.get("q") or "").strip()
        self.words = clean_query(self.raw_query)
        self.problem = query_problem(self.raw_query, self.words) if self.raw_query else None
        self.selected = {facet.param: facet.keys_from(self.querydict) for facet in self.facets}
        sort = self.querydict.get("sort") or ""
        allowed = set(self.sorts) | ({"relevance"} if self.searching else set())
        self.sort = sort if sort in allowed else ("relevance" if self.searching else self.default_sort)

    @property
    def searching(self):
        return bool(self.words) and self.problem is None

    @property
    def filtering(self):
        return any(self.selected.values())

    def version(self):
        """Changes whenever a published item is added, edited or removed."""
        if hasattr(self, "_version"):
            return self._version
        # COUNT(*), not COUNT(id): PostgreSQL then answers from the (live, updated) index alone.
        state = self.queryset.model.objects.filter(live=True).aggregate(n=Count("*"), last=Max("updated"))
        self._version = f"{state['n']}:{state['last']}"
        return self._version

    def cached(self, what, compute):
        """An answer for this exact question and this version of the library, computed once.

        Browsing pages without search words are the same for every reader, and their counts
        scan the whole collection; a curator's edit changes the version and so the key. (Only
        the order of the same matches can lag, until the next edit or the cache's expiry, when
        the index task changes an item's words but not which items match.)
        """
        selected = sorted(self.selected.items())
        question = repr((self.queryset.model._meta.label, self.words, selected, self.version(), self.matches_digest()))
        key = f"library:{what}:{hashlib.sha1(question.encode()).hexdigest()}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, CACHE_SECONDS)
        return value

    def filters_fragment_key(self):
        """Names the rendered filter panel: it shows the counts (see cached), the ticked values,
        the words typed and the language; all are in the key, so a cached panel is never stale."""
        state = repr((self.queryset.model._meta.label, self.raw_query, self.words, sorted(self.selected.items()),
                      self.version(), self.matches_digest(), get_language()))
        return hashlib.sha1(state.encode()).hexdigest()

    def matched_ids(self):
        """Ids of the items whose text has all the words (unscored); computed once per listing."""
        if not hasattr(self, "_matched"):
            self._matched = sorted(match_scores(self.queryset.model, self.words)) if self.searching else []
        return self._matched

    def matches_digest(self):
        """Names the set of matching items. Part of every cached answer's key, because the search
        index is updated by a background task after an edit is saved (after the version changed)."""
        if not self.searching:
            return ""
        if not hasattr(self, "_matches_digest"):
            self._matches_digest = hashlib.sha1(repr(self.matched_ids()).encode()).hexdigest()
        return self._matches_digest

    def matching(self):
        """Published items that match the words (not yet filtered), unordered."""
        queryset = self.queryset if self.extra is None else self.queryset.filter(self.extra)
        if not self.searching:
            return queryset
        return queryset.filter(pk__in=id_subquery(self.matched_ids()))

    def filtered(self, base=None, skip=None):
        queryset = self.matching() if base is None else base
        for facet in self.facets:
            if facet.param != skip:
                queryset = facet.apply(queryset, self.selected[facet.param])
        return queryset

    def results(self):
        """The filtered items in the order asked for (a queryset, or a ranked list when searching)."""
        if self.sort == "relevance" and self.searching:
            return Ranked(self.cached("ranked", self.ranked_ids), self.queryset)
        ordering = self.sorts.get(self.sort, self.sorts[self.default_sort])[1]
        return self.filtered().order_by(*ordering)

    def ranked_ids(self):
        """Ids of the filtered items, best match first (ties: newest id first)."""
        ids = self.filtered_ids()
        # Only the filtered items are scored: ranking is the costly part of a text search.
        scores = match_scores(self.queryset.model, self.words, among=ids)
        ids.sort(key=lambda pk: (-scores.get(pk, 0.0), -pk))
        return ids

    def facet_sets(self):
        """When searching narrowed the items down: (the matching published ids, and for each
        facet {key: ids of the items with that value}); else None. The filtered ids and the
        facet counts are then set operations in memory instead of one query per facet."""
        if not hasattr(self, "_facet_sets"):
            self._facet_sets = None
            if self.searching and self.extra is None and len(self.matched_ids()) <= MAX_READ_MATCHES:
                published, by_value = facet_table(self.queryset, self.facets, self.version())
                self._facet_sets = (published.intersection(self.matched_ids()), by_value)
        return self._facet_sets

    def passing(self, by_value):
        """{param: ids that have one of the ticked values} for each facet with ticked values."""
        empty = frozenset()
        return {
            param: frozenset().union(*(by_value[param].get(key, empty) for key in chosen))
            for param, chosen in self.selected.items() if chosen
        }

    def filtered_ids(self):
        sets = self.facet_sets()
        if sets is None:
            return list(self.filtered().order_by().values_list("pk", flat=True))
        matched, by_value = sets
        return sorted(matched.intersection(*self.passing(by_value).values()))

    def count_facets(self):
        """{param: {key: n}}: for each facet, the items each value would give with the other filters kept."""
        sets = self.facet_sets()
        if sets is None:
            return {f.param: f.counts(self.filtered(base=self.matching(), skip=f.param)) for f in self.facets}
        matched, by_value = sets
        passing = self.passing(by_value)
        counts = {}
        for facet in self.facets:
            others = [ids for param, ids in passing.items() if param != facet.param]
            base = matched.intersection(*others)
            tally = {key: len(base.intersection(ids)) for key, ids in by_value[facet.param].items()}
            counts[facet.param] = {key: n for key, n in tally.items() if n}
        return counts

    def facet_counts(self):
        """For each facet, how many results each value would give with the other filters kept."""
        all_counts = self.cached("facets", self.count_facets)
        counted = []
        for facet in self.facets:
            counts = all_counts[facet.param]
            chosen = self.selected[facet.param]
            options = [
                {"key": key, "label": label, "count": counts.get(key, 0), "selected": key in chosen}
                for key, label in facet.choices()
                if counts.get(key) or key in chosen
            ]
            counted.append(FacetCounts(facet, options))
        return counted

    def page(self, number=None):
        results = self.results()
        paginator = CountedPaginator(self.cached("count", results.count), results, self.page_size)
        return paginator.get_page(number if number is not None else self.querydict.get("page"))

    def snippet(self, item):
        """A bit of the item's text around the first matched word, with the words marked."""
        words = self.words if self.searching else ""
        pattern = word_patterns(words) if words else None
        texts = []
        for name in self.snippet_fields:
            # Stripping a long story's HTML is slow: only read on when the words are not found yet.
            texts.append(plain_text(str(getattr(item, name, "") or "")))
            if pattern is None or pattern.search(texts[-1]):
                break
        return highlight(texts, words)

    def active_filters(self):
        chips = []
        for facet in self.facets:
            if not self.selected[facet.param]:
                continue  # no need to look up its options (some are a query)
            labels = dict(facet.choices())
            for key in self.selected[facet.param]:
                chips.append({"facet": facet.label, "param": facet.param, "key": key, "label": labels.get(key, key)})
        return chips


class CountedPaginator(Paginator):
    """A paginator told the number of results (from the cache) instead of counting them again."""

    def __init__(self, count, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


class Ranked:
    """Items in relevance order: all the ids up front, the objects fetched a page at a time."""

    def __init__(self, ids, queryset):
        self.ids = ids
        self.queryset = queryset

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, key):
        ids = self.ids[key] if isinstance(key, slice) else [self.ids[key]]
        found = {item.pk: item for item in self.queryset.filter(pk__in=id_subquery(ids))}
        items = [found[pk] for pk in ids if pk in found]
        return items if isinstance(key, slice) else items[0]

    def __iter__(self):
        return iter(self[:])

    def iterator(self, chunk_size=500):
        for start in range(0, len(self.ids), chunk_size):
            yield from self[start : start + chunk_size]


# --- Highlighting -----------------------------------------------------------------------------

TAG = re.compile(r"<[^>]*>")


def plain_text(value):
    """Text of stored rich text (already cleaned by the editor): tags out, entities decoded.

    Django's strip_tags parses HTML properly and took ~1 ms per story: too slow for 20 snippets.
    """
    return html.unescape(TAG.sub(" ", value)) if "<" in value or "&" in value else value

SNIPPET_CHARS = 220


def word_patterns(words):
    """A loose stem per word, so "workshops" marks "workshop" and "partnering" marks "partner"."""
    stems = []
    for word in words.split():
        word = word.lower()
        if len(word) < 2:
            continue
        stem = word[: max(4, len(word) - 3)] if len(word) > 5 else word
        stems.append(re.escape(stem))
    if not stems:
        return None
    return re.compile(r"\b(" + "|".join(sorted(set(stems), key=len, reverse=True)) + r")\w*", re.IGNORECASE)


def highlight(texts, words, length=SNIPPET_CHARS):
    """The first text with a match, cut around it, matches wrapped in <mark>; escaped HTML."""
    pattern = word_patterns(words) if words else None
    texts = [re.sub(r"\s+", " ", text).strip() for text in texts if text]
    if not texts:
        return ""
    chosen, start = texts[0], 0
    if pattern:
        for text in texts:
            found = pattern.search(text)
            if found:
                chosen, start = text, max(0, found.start() - length // 3)
                break
    piece = chosen[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(chosen) else ""
    html = escape(piece)
    if pattern:
        html = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html)
    return mark_safe(prefix + html + suffix)


SORT_LABELS = {
    "relevance": _("Best match"),
}
