"""Agree's API: the current Partnering Agreement Scorecard, readable by anyone."""

from ninja import Router, Schema, Status

from intersector.agreements import services

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
    title: str
    scale: list[dict]
    forms: list[dict]
    families: list[FamilyOut]


@router.get(
    "/agreements/scorecard",
    auth=None,
    response={200: ScorecardOut, 404: ErrorOut},
    summary="The scorecard",
    description="The current version of the Partnering Agreement Scorecard: its scale, forms of "
                "agreement, and six question families with their elements.",
)
def scorecard(request):
    version = services.current_scorecard()
    if version is None:
        return Status(404, {"detail": "The scorecard has not been loaded on this site yet."})
    data = version.definition
    return {"version": version.number, "title": version.title, "scale": data["scale"],
            "forms": data["forms"], "families": data["families"]}
