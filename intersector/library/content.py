"""Starter content for Learn, from content/library/ (format: see docs/curator-guide.md).

Creates only what was never loaded before: an item a curator edited keeps their edits, and an
item a curator deleted stays deleted. Every item it creates is marked as a starter example.
"""

import datetime
from pathlib import Path

import yaml
from django.db import transaction

from intersector.content import register
from intersector.library import services, vocab
from intersector.library.models import (
    Briefing,
    Case,
    CaseOutcome,
    CasePartner,
    CaseSource,
    Resource,
    Stage,
    StarterRecord,
    Term,
    Tool,
)


class ContentError(Exception):
    """A starter file that does not follow the format: names the file and the problem."""


def read_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML ({exc})") from exc


class Run:
    """One loading run: what was created, what was already there."""

    def __init__(self):
        self.created = {}
        self.kept = 0
        self.new_objects = []

    def should_create(self, kind, model, slug):
        if StarterRecord.objects.filter(kind=kind, slug=slug).exists():
            self.kept += 1
            return False
        StarterRecord.objects.create(kind=kind, slug=slug)
        if model.objects.filter(slug=slug).exists():
            self.kept += 1
            return False
        return True

    def count(self, kind, obj):
        self.created[kind] = self.created.get(kind, 0) + 1
        self.new_objects.append(obj)

    def summary(self):
        made = ", ".join(f"{n} {kind}" for kind, n in self.created.items()) or "nothing new"
        return f"created {made}; {self.kept} already loaded before (left as they are)"


def _terms():
    return {(term.vocabulary, term.key): term for term in Term.objects.all()}


def _term(terms, vocabulary, key, where):
    try:
        return terms[(vocabulary, key)]
    except KeyError:
        raise ContentError(
            f"{where}: '{key}' is not a known {vocabulary} (use one of: {', '.join(vocab.VOCABULARIES[vocabulary])})"
        ) from None


def load_toolkit(folder, run):
    path = folder / "toolkit.yaml"
    if not path.exists():
        return {}
    pending_examples = {}
    for stage_order, stage_data in enumerate(read_yaml(path).get("stages") or []):
        stage = Stage.objects.filter(slug=stage_data["slug"]).first()
        if run.should_create("stage", Stage, stage_data["slug"]):
            stage = Stage.objects.create(
                slug=stage_data["slug"],
                title=stage_data["title"],
                question=stage_data.get("question", ""),
                summary=(stage_data.get("summary") or "").strip(),
                sort_order=stage_order,
                starter=True,
                **services.published_now(),
            )
            run.count("stages", stage)
        if stage is None:
            continue  # a curator removed the stage: its tools stay out too
        for tool_order, tool_data in enumerate(stage_data.get("tools") or []):
            if not run.should_create("tool", Tool, tool_data["slug"]):
                continue
            questions = tool_data.get("questions") or []
            tool = Tool.objects.create(
                stage=stage,
                slug=tool_data["slug"],
                title=tool_data["title"],
                definition=" ".join((tool_data.get("definition") or "").split())[:300],
                why=(tool_data.get("why") or "").strip(),
                questions="\n".join(" ".join(q.split()) for q in questions),
                example=(tool_data.get("example") or "").strip(),
                sort_order=tool_order,
                starter=True,
                **services.published_now(),
            )
            run.count("tools", tool)
            if tool_data.get("example_case"):
                pending_examples[tool.pk] = tool_data["example_case"]
    return pending_examples


def load_case(path, terms, run):
    data = read_yaml(path)
    slug = data.get("slug") or path.stem
    if not run.should_create("case", Case, slug):
        return
    where = str(path)
    case = Case(
        slug=slug,
        title=data["title"],
        summary=" ".join((data.get("summary") or "").split()),
        story=services.plain_to_html(data.get("story")),
        issue_area=_term(terms, vocab.ISSUE_AREA, data.get("issue_area"), where),
        partnership_model=_term(terms, vocab.PARTNERSHIP_MODEL, data.get("partnership_model"), where),
        city=data.get("city") or "",
        state=(data.get("state") or "").upper(),
        start_year=data.get("start_year"),
        end_year=data.get("end_year"),
        starter=True,
        **services.published_now(),
    )
    case.sectors = [_term(terms, vocab.SECTOR, key, where) for key in data.get("sectors") or []]
    case.tools = list(Tool.objects.filter(slug__in=data.get("tools") or []))
    case.partners = [
        CasePartner(name=p["name"], sector=p.get("sector", ""), role=p.get("role", "") or "")
        for p in data.get("partners") or []
    ]
    case.outcomes = [
        CaseOutcome(text=o["text"], figure=str(o.get("figure") or "")) for o in data.get("outcomes") or []
    ]
    case.sources = [
        CaseSource(title=s["title"], publisher=s.get("publisher") or "", year=s.get("year"), url=s.get("url") or "")
        for s in data.get("sources") or []
    ]
    case.save()
    run.count("cases", case)


def load_resources(folder, run):
    path = folder / "resources.yaml"
    if not path.exists():
        return
    for data in read_yaml(path).get("resources") or []:
        if not run.should_create("resource", Resource, data["slug"]):
            continue
        row = {**data, "authors": "; ".join(data.get("authors") or []), "year": str(data.get("year") or "")}
        for name in ("sectors", "partnership_models", "issue_areas"):
            row[name] = "; ".join(data.get(name) or [])
        clean, problems = services.clean_resource_row({k: v if isinstance(v, str) else str(v) for k, v in row.items() if v is not None})
        if problems:
            raise ContentError(f"{path}: resource {data['slug']}: " + " ".join(str(p) for p in problems))
        clean["summary"] = (data.get("summary") or "").strip()
        services.save_resource(clean, starter=True)
        run.count("resources", None)


def load_briefings(folder, terms, run):
    path = folder / "briefings.yaml"
    if not path.exists():
        return
    for data in read_yaml(path).get("briefings") or []:
        if not run.should_create("briefing", Briefing, data["slug"]):
            continue
        if data.get("series") not in vocab.SERIES:
            raise ContentError(f"{path}: briefing {data['slug']}: unknown series '{data.get('series')}'")
        article = data.get("article") or {}
        researcher = data.get("researcher") or {}
        when = data.get("date")
        if isinstance(when, str):
            when = datetime.date.fromisoformat(when)
        briefing = Briefing(
            slug=data["slug"],
            series=data["series"],
            title=data["title"],
            date=when,
            summary=" ".join((data.get("summary") or "").split()),
            body=services.plain_to_html(data.get("body")),
            takeaways="\n".join(" ".join(t.split()) for t in data.get("takeaways") or []),
            article_title=article.get("title", ""),
            article_authors="; ".join(article.get("authors") or []),
            article_publisher=article.get("publisher", "") or "",
            article_year=article.get("year"),
            researcher_name=researcher.get("name", ""),
            researcher_affiliation=researcher.get("affiliation", ""),
            starter=True,
            **services.published_now(),
        )
        briefing.of_interest_to = [
            _term(terms, vocab.SECTOR, key, str(path)) for key in data.get("of_interest_to") or []
        ]
        briefing.save()
        run.count("briefings", briefing)


def load_library(folder: Path) -> str:
    folder = Path(folder) / "library" if (Path(folder) / "library").is_dir() else Path(folder)
    run = Run()
    services.ensure_terms()
    terms = _terms()
    with transaction.atomic():
        pending_examples = load_toolkit(folder, run)
        for path in sorted((folder / "cases").glob("*.yaml")) if (folder / "cases").is_dir() else []:
            load_case(path, terms, run)
        cases = dict(Case.objects.values_list("slug", "pk"))
        for tool_pk, case_slug in pending_examples.items():
            if case_slug in cases:
                Tool.objects.filter(pk=tool_pk).update(example_case_id=cases[case_slug])
        load_resources(folder, run)
        load_briefings(folder, terms, run)
    # New cases' vectors for "cases like this one" are computed by a background job that
    # saving them started (see Case.save), so loading does not wait for the language model.
    services.index_now(*[obj for obj in run.new_objects if obj is not None])
    return run.summary()


@register("library", order=50)
def load(content_dir):
    return load_library(Path(content_dir))
