"""Collaborate's API for running a partner network survey: open and close it, answer it for one's
partner, import answers gathered elsewhere. The same rules as the network pages, said once in
intersector/collaboratives (network.py, network_files.py, access.py):
- the convenor opens and closes a survey and imports an edges CSV (as the export writes it);
- a partner's representative or alternate reads and gives their partner's answer: the partners it
  works with, each rated 1 to 4 on the survey's questions (left out: not sure); observers and
  convenors do not answer for a partner (403);
- a closed survey's answers can no longer change (409).
Reading the figures and the files is collaborate_network.py, and so is opening a survey (its
address is the list's: one path, one router).
"""

from typing import List, Optional

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from intersector.api.routers.collaborate_common import REFUSALS, Body, answers, seen
from intersector.api.routers.collaborate_network import WaveOut, _wave, _wave_out
from intersector.api.routers.me import ErrorOut
from intersector.api.routers.params import Text
from intersector.collaboratives import network, network_files, views_network
from intersector.refusals import Refused

router = Router(tags=["collaborate"])
MOST_TIES = 2000  # more partners than any collaborative has; a longer body is a mistake

# One optional 1-4 field per survey question, named by its key, described by its words.
RatingsIn = type("RatingsIn", (Body,), {
    "__annotations__": {item.key: Optional[int] for item in network.ITEMS},
    **{item.key: Field(None, ge=1, le=4, description=f"{item.measure}: {item.text} (1 not at all … 4 very much; "
                                                     "left out: not sure)") for item in network.ITEMS}})


class TieIn(Body):
    partner: int = Field(description="The id of a partner your organisation works with.")
    ratings: RatingsIn = Field(default_factory=RatingsIn)


class AnswerIn(Body):
    works_with: List[TieIn] = Field(default_factory=list, max_length=MOST_TIES,
                                    description="Every partner your organisation works with (your answer "
                                                "replaces the one given before).")
    none: bool = Field(False, description="True to say your organisation works with none of them yet "
                                          "(then works_with is empty).")


class TieOut(Schema):
    partner: int
    name: str
    ratings: dict = Field(description="Question key → 1 to 4, for the questions answered.")


class AnswerOut(Schema):
    wave: int
    partner: str = Field(description="The partner this answer is for (yours).")
    answered: bool
    works_with: List[TieOut]


class ImportOut(Schema):
    partners: int = Field(description="Partners whose answer the file gave (each replaced).")
    ties: int
    wave: WaveOut


class ImportProblemsOut(ErrorOut):
    problems: List[str] = Field(description="Every row that needs fixing (nothing was imported).")


def _answer_out(wave, member):
    saved = network.own_answer(wave, member)
    names = network.names(network.wave_partners(wave))
    ties = [{"partner": pk, "name": names.get(pk, ""), "ratings": ratings}
            for pk, ratings in sorted((saved or {}).items())]
    return {"wave": wave.number, "partner": str(member.partner), "answered": saved is not None, "works_with": ties}


def _as_form(data):
    """The answer as the survey's page posts it, so network.read_answer checks it with the same
    words for the same mistakes (a partner not in the list, none and some at once, nothing)."""
    form = MultiValueDict({"works_with": [str(tie.partner) for tie in data.works_with]})
    for tie in data.works_with:
        for key, value in tie.ratings.model_dump().items():
            if value is not None:
                form[f"item-{tie.partner}-{key}"] = str(value)
    if data.none:
        form["none"] = "yes"
    return form


@router.post("/collaboratives/{slug}/network/{wave_number}/close", response=answers(200, WaveOut),
             summary="Close a network survey",
             description="Convenors only. Its map and figures are worked out from the answers given; "
                         "answers can no longer change. Closed already: 409.")
def wave_close(request, slug: Text, wave_number: int):
    collaborative, _member = seen(request, slug, "manage")
    wave = network.close_wave(_wave(collaborative, wave_number))
    return _wave_out(request, wave, network.results(wave))


@router.get("/collaboratives/{slug}/network/{wave_number}/answer", response={200: AnswerOut, **REFUSALS},
            summary="Your partner's answer to a network survey",
            description="A partner's representative or alternate: the answer given for their partner "
                        "(answered false, and no ties, before anyone has).")
def answer_read(request, slug: Text, wave_number: int):
    collaborative, member = seen(request, slug, "answer_for_partner")
    return _answer_out(_wave(collaborative, wave_number), member)


@router.put("/collaboratives/{slug}/network/{wave_number}/answer", response=answers(200, AnswerOut),
            summary="Answer a network survey for your partner",
            description="A partner's representative or alternate. The answer replaces the one given before "
                        "for the partner (by anyone). Each partner named must be one of this survey's, not "
                        "your own (400 naming what is wrong); a closed survey is a 409.")
def answer_write(request, slug: Text, wave_number: int, data: AnswerIn):
    collaborative, member = seen(request, slug, "answer_for_partner")
    wave = _wave(collaborative, wave_number)
    others = [p for p in network.wave_partners(wave) if p.pk != member.partner_id]
    network.answer(wave, member, network.read_answer(_as_form(data), others))
    return _answer_out(wave, member)


@router.post("/collaboratives/{slug}/network/{wave_number}/import",
             response={200: ImportOut, **REFUSALS, 400: ImportProblemsOut, 409: ErrorOut, 413: ErrorOut, 429: ErrorOut},
             summary="Import a network survey's answers from a CSV file",
             description="Convenors only, into an open survey. Columns source, target, trust, value (as the "
                         "edges.csv export writes them; names as the partners page shows them). Each source "
                         "partner's answer becomes exactly its rows. Any bad row: nothing is imported, and "
                         "every problem is listed (400).",
             # The file is required, and nothing else is sent; said here because it is checked in the
             # route, after who is asking (a stranger gets 404, not a word about the form).
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"], "additionalProperties": False,
                 "properties": {"file": {"type": "string", "format": "binary",
                                         "description": "The CSV file (UTF-8), at most 2 MB."}}}}}}})
def wave_import(request, slug: Text, wave_number: int, file: Optional[UploadedFile] = File(None)):
    collaborative, member = seen(request, slug, "manage")
    wave = _wave(collaborative, wave_number)
    views_network.refuse_many_imports(request.auth)
    if file is None:  # asked here, after who is asking, so a stranger learns nothing from it
        raise Refused(_("Choose a CSV file to upload."), status=400)
    if file.size > network_files.spreadsheets.MAX_UPLOAD_BYTES:
        raise Refused(_("This file is larger than 2 MB. Split it into smaller files."), status=413)
    try:
        partners, ties = network_files.import_ties(wave, member, file.read())
    except network_files.ImportProblems as refusal:
        return 400, {"detail": refusal.message, "problems": refusal.problems}
    return {"partners": partners, "ties": ties, "wave": _wave_out(request, wave)}
