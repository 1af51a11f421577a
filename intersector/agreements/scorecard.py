"""The scorecard definition (from YAML/JSON) and scoring. Plain Python, no database."""

from dataclasses import dataclass, field

SCALE_KEYS = ["not-relevant", "not-in-place", "partially", "fully"]
FAMILY_KEYS = ["who", "why", "what", "when", "how", "what-if"]
FORM_KEYS = ["letter-of-intent", "mou", "detailed"]
# Points per rating; "not relevant" counts out of the score altogether.
POINTS = {"not-in-place": 0, "partially": 1, "fully": 2}
ELEMENT_FIELDS = ["key", "title", "question", "why", "good_answer", "example", "importance",
                  "forms", "keywords"]


# The words a translation gives (content/agreements/scorecard.<language>.yaml): the rest of an
# element (keys, importance, forms, the review's keywords) is the scorecard's own, in every language.
TEXT_FIELDS = {"card": ["title", "intro"], "scale": ["label", "description"], "forms": ["label", "description"],
               "family": ["title", "summary"], "element": ["title", "question", "why", "good_answer", "example"]}


class ScorecardError(ValueError):
    """The scorecard content does not have the expected shape; the message says where."""


@dataclass
class Element:
    key: str
    title: str
    question: str
    why: str
    good_answer: str
    example: str
    importance: int
    forms: list
    keywords: list
    family: str = ""
    order: int = 0


@dataclass
class Family:
    key: str
    title: str
    summary: str
    elements: list = field(default_factory=list)


def validate(data):
    """Check a scorecard definition; raise ScorecardError with a plain message."""
    if not isinstance(data, dict):
        raise ScorecardError("The scorecard must be a mapping with title, scale, forms and families.")
    scale = [s.get("key") for s in data.get("scale") or [] if isinstance(s, dict)]
    if scale != SCALE_KEYS:
        raise ScorecardError("The scale must be exactly: " + ", ".join(SCALE_KEYS) + ".")
    forms = [f.get("key") for f in data.get("forms") or [] if isinstance(f, dict)]
    if forms != FORM_KEYS:
        raise ScorecardError("The forms must be exactly: " + ", ".join(FORM_KEYS) + ".")
    families = data.get("families") or []
    if [f.get("key") for f in families if isinstance(f, dict)] != FAMILY_KEYS:
        raise ScorecardError("The families must be exactly, in order: " + ", ".join(FAMILY_KEYS) + ".")
    seen = set()
    for family in families:
        if not family.get("elements"):
            raise ScorecardError(f"The family '{family['key']}' has no elements.")
        for element in family["elements"]:
            missing = [name for name in ELEMENT_FIELDS if name not in element]
            if missing:
                raise ScorecardError(
                    f"The element '{element.get('key', '?')}' lacks: {', '.join(missing)}.")
            if element["key"] in seen:
                raise ScorecardError(f"The element key '{element['key']}' is used twice.")
            seen.add(element["key"])
            if element["importance"] not in (1, 2, 3):
                raise ScorecardError(f"The element '{element['key']}' needs importance 1, 2 or 3.")
            if not set(element["forms"]) <= set(FORM_KEYS):
                raise ScorecardError(f"The element '{element['key']}' names an unknown form.")
    translations = data.get("translations") or {}
    if not isinstance(translations, dict):
        raise ScorecardError("The translations must be a mapping of language code to the scorecard's words.")
    for language, words in translations.items():
        validate_translation(data, words, language)
    return data


def keys_of(data):
    """The scorecard's shape as keys only: what every language must share."""
    return {"scale": [s.get("key") for s in data.get("scale") or [] if isinstance(s, dict)],
            "forms": [f.get("key") for f in data.get("forms") or [] if isinstance(f, dict)],
            "families": [(f.get("key"), [e.get("key") for e in f.get("elements") or [] if isinstance(e, dict)])
                         for f in data.get("families") or [] if isinstance(f, dict)]}


def validate_translation(data, words, language):
    """A translation has exactly the scorecard's keys, in the same order (scores are kept by key)."""
    if not isinstance(words, dict):
        raise ScorecardError(f"The '{language}' translation must be a mapping like the scorecard itself.")
    mine, theirs = keys_of(data), keys_of(words)
    for part in ("scale", "forms"):
        if mine[part] != theirs[part]:
            raise ScorecardError(f"The '{language}' translation's {part} must have the keys, in order: "
                                 + ", ".join(mine[part]) + ".")
    if [key for key, _elements in mine["families"]] != [key for key, _elements in theirs["families"]]:
        raise ScorecardError(f"The '{language}' translation's families must be, in order: "
                             + ", ".join(key for key, _elements in mine["families"]) + ".")
    for (family, elements), (_same, translated) in zip(mine["families"], theirs["families"]):
        if elements != translated:
            missing = sorted(set(elements) - set(translated))
            extra = sorted(set(translated) - set(elements))
            raise ScorecardError(f"The '{language}' translation of the family '{family}' must have the elements, "
                                 f"in order: {', '.join(elements)}."
                                 + (f" Missing: {', '.join(missing)}." if missing else "")
                                 + (f" Unknown: {', '.join(extra)}." if extra else ""))
    return words


def _words(target, source, fields):
    for name in fields:
        if isinstance(source.get(name), str) and source[name].strip():
            target[name] = source[name]
    return target


def translated(data, language):
    """The definition with the words of `language` where its translation has them (English, the
    scorecard's own, elsewhere). Keys, importance, forms and keywords never change."""
    words = ((data.get("translations") or {}).get((language or "").split("-")[0].lower())) or None
    if not words:
        return data
    out = _words(dict(data), words, TEXT_FIELDS["card"])
    for part in ("scale", "forms"):
        out[part] = [_words(dict(item), other, TEXT_FIELDS[part]) for item, other in zip(data[part], words[part])]
    out["families"] = []
    for family, other in zip(data["families"], words["families"]):
        copy = _words(dict(family), other, TEXT_FIELDS["family"])
        copy["elements"] = [_words(dict(element), theirs, TEXT_FIELDS["element"])
                            for element, theirs in zip(family["elements"], other["elements"])]
        out["families"].append(copy)
    return out


class Scorecard:
    """The scorecard in one language (`language`: its translation's words where it has them)."""

    def __init__(self, definition, version=None, language=None):
        self.definition = definition
        self.version = version
        self.language = language
        definition = translated(definition, language)
        self.title = definition.get("title", "")
        self.intro = definition.get("intro", "")
        self.scale = [(s["key"], s["label"]) for s in definition["scale"]]
        self.scale_labels = dict(self.scale)
        self.forms = definition["forms"]
        self.families = []
        self.elements = {}
        order = 0
        for fam in definition["families"]:
            family = Family(fam["key"], fam["title"], fam.get("summary", ""))
            for raw in fam["elements"]:
                element = Element(**{name: raw[name] for name in ELEMENT_FIELDS},
                                  family=family.key, order=order)
                order += 1
                family.elements.append(element)
                self.elements[element.key] = element
            self.families.append(family)
        self.family_by_key = {f.key: f for f in self.families}

    def expected(self, form):
        """Element keys the chosen form of agreement is expected to cover."""
        return {key for key, element in self.elements.items() if form in element.forms}

    def label(self, rating):
        return self.scale_labels.get(rating, "")


@dataclass
class FamilyScore:
    family: Family
    percent: int | None   # None: nothing rated (or all not relevant)
    rated: int
    counted: int


@dataclass
class Result:
    families: list
    overall: int | None
    gaps: list            # [(element, rating or None)] most important first
    rated: int
    total: int


def score(card, ratings, expected=None):
    """Score `ratings` ({element key: rating key}).

    Per family and overall: points (not in place 0, partially 1, fully 2) over the maximum for
    the rated elements, with "not relevant" counted out. Gaps are rated elements not fully in
    place, plus elements nobody has rated among those `expected` (the form's), most important
    first.
    """
    families = []
    total_points = total_max = 0
    gaps = []
    for family in card.families:
        points = maximum = rated = 0
        for element in family.elements:
            rating = ratings.get(element.key)
            if rating:
                rated += 1
            if rating in POINTS:
                points += POINTS[rating]
                maximum += 2
                if rating != "fully":
                    gaps.append((element, rating))
            elif not rating and expected is not None and element.key in expected:
                gaps.append((element, None))
        families.append(FamilyScore(family, round(100 * points / maximum) if maximum else None,
                                    rated, maximum // 2))
        total_points += points
        total_max += maximum
    gap_rank = {"not-in-place": 0, None: 1, "partially": 2}
    gaps.sort(key=lambda pair: (-pair[0].importance, gap_rank[pair[1]], pair[0].order))
    return Result(families, round(100 * total_points / total_max) if total_max else None, gaps,
                  sum(1 for key in card.elements if ratings.get(key)), len(card.elements))


def bars_svg(result, width=340):
    """Server-side SVG bar chart data: one bar per family, with text labels (no script/style)."""
    row, left = 34, 80
    bars = []
    for index, fam in enumerate(result.families):
        y = 10 + index * row
        length = 0 if fam.percent is None else round((width - left - 50) * fam.percent / 100)
        bars.append({"y": y, "ty": y + 17, "length": length, "title": fam.family.title,
                     "percent": fam.percent, "lx": left + length + 6})
    return {"width": width, "height": 20 + row * len(result.families), "left": left,
            "track": width - left - 50, "bars": bars}
