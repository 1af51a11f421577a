"""Agree's API: the current Partnering Agreement Scorecard, readable by anyone."""

from typing import Literal

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema, Status
from pydantic import Field

from intersector.agreements import services
from intersector.agreements.scorecard import translated

router = Router(tags=["agreements"])


class ErrorOut(Schema):
    detail: str


class ElementOut(Schema):
    key: str
    title: str
    question: str
    why: str
    good_answer: str
    example: str
    importance: int
    forms: list[str]


class FamilyOut(Schema):
    key: str
    title: str
    summary: str
    elements: list[ElementOut]


class ScorecardOut(Schema):
    version: int
    language: str
    title: str
    scale: list[dict]
    forms: list[dict]
    families: list[FamilyOut]


# The site's languages, as the schema lists them (settings.LANGUAGES: English, Spanish).
Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]


class ScorecardQuery(Schema):
    lang: Language | None = Field(
        None, description="The language of the words: `en` or `es`. Without it, the request's "
                          "Accept-Language header chooses (English when it names neither).")


@router.get(
    "/agreements/scorecard",
    auth=None,
    response={200: ScorecardOut, 404: ErrorOut, 422: ErrorOut},
    summary="The scorecard",
    description="The current version of the Partnering Agreement Scorecard: its scale, forms of "
                "agreement, and six question families with their elements, in English or Spanish "
                "(`?lang=es`, or `Accept-Language: es`). Only the words change with the language: "
                "keys, importance and forms are the same in both, so scores made in one language "
                "read the same in the other. `language` says which words came; the response's "
                "Content-Language header too.",
)
def scorecard(request, response: HttpResponse, query: Query[ScorecardQuery]):
    version = services.current_scorecard()
    if version is None:
        return Status(404, {"detail": "The scorecard has not been loaded on this site yet."})
    # LocaleMiddleware has read Accept-Language (or the site's language cookie) already.
    language = query.lang or (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE.split("-")[0]
    data = translated(version.definition, language)
    response["Content-Language"] = language
    return {"version": version.number, "language": language, "title": data.get("title") or version.title,
            "scale": data["scale"], "forms": data["forms"], "families": data["families"]}
