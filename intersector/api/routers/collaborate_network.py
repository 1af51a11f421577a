"""Collaborate's API for the partner network survey, under /api/collaboratives/{slug}/network.

As on the network pages: everyone who sees the collaborative reads each closed survey's figures
and partners (a partner's trust and value only from network.FEWEST ratings, so no one rating is
picked out); an open survey shows only how many partners answered; the convenor alone downloads
the files (they hold each partner's ratings of the others) and marks a survey for reports.
"""

from datetime import datetime
from typing import List, Literal, Optional

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from intersector.api.routers.collaborate_common import REFUSALS, answers, read, seen
from intersector.api.routers.collaborate_results import VisibilityIn
from intersector.api.routers.params import Text
from intersector.collaboratives import network, network_results, reports, views_network
from intersector.collaboratives.models import Visibility
from intersector.refusals import Refused

router = Router(tags=["collaborate"])

GEXF = "application/gexf+xml"
EXPORTS = ("edges.csv", "nodes.csv", "network.gexf")


class FiguresOut(Schema):
    partners: int
    answered: int = Field(description="Partners that answered.")
    ties: int = Field(description="Pairs of partners that work together.")
    density: float = Field(description="The share of all possible ties that exist, 0 to 1.")
    centralisation: Optional[float] = Field(description="How much the ties gather around a few partners, 0 to 1 "
                                                        "(null under three partners).")
    trust: Optional[float] = Field(description="The mean trust rated across all ties (1 to 4).")
    value: Optional[float] = Field(description="The mean value rated across all ties (1 to 4).")
    changes: dict = Field(description="Since the previous closed survey: density, centralisation, trust, "
                                      "value and ties, as signed figures (\"+0.03\", \"-2\"); empty for the first.")


class WaveOut(Schema):
    number: int
    open: bool
    opened: datetime
    closed: Optional[datetime]
    answered: int = Field(description="Partners that have answered so far.")
    visibility: Literal[tuple(Visibility.values)]
    figures: Optional[FiguresOut] = Field(description="Once the survey is closed; null while it is open.")
    url: str


class NodeOut(Schema):
    id: int = Field(description="The partner's id.")
    name: str
    sector: str
    sector_label: str
    degree: int = Field(description="How many partners it works with.")
    named: int = Field(description="Partners it named.")
    named_by: int = Field(description="Partners that named it.")
    trust: Optional[float] = Field(description=f"Mean trust others place in it, from {network.FEWEST} "
                                               "ratings up (else null).")
    value: Optional[float] = Field(description=f"Mean value others see in it, from {network.FEWEST} ratings "
                                               "up (else null).")
    tied_to: List[str]
    change: Optional[int] = Field(description="Its change in degree since the previous closed survey.")


class SectorOut(Schema):
    sector: str
    label: str
    partners: int
    within: int = Field(description="Ties inside the sector.")
    across: int = Field(description="Ties with other sectors.")
    degree: float = Field(description="Its partners' mean degree.")


class WaveDetailOut(WaveOut):
    partners: List[NodeOut] = Field(description="Once closed: each partner on the map (empty while open).")
    sectors: List[SectorOut] = Field(description="Once closed: the ties within and across each sector.")


def _number(value):
    return float(value) if value is not None else None


def _wave_out(request, wave, found=None):
    out = {"number": wave.number, "open": wave.is_open, "opened": wave.opened, "closed": wave.closed,
           "answered": wave.answers.count(), "visibility": wave.visibility, "figures": None,
           "url": request.build_absolute_uri(reverse("collaboratives:network_results",
                                                     args=[wave.collaborative.slug, wave.number]))}
    if found is not None:
        summary = found["summary"]
        out["figures"] = {"partners": summary["partners"], "answered": summary["answered"], "ties": summary["ties"],
                          "density": float(summary["density"]), "centralisation": _number(summary["centralisation"]),
                          "trust": _number(summary["trust"]), "value": _number(summary["value"]),
                          "changes": found["changes"]}
    return out


def _wave(collaborative, number):
    wave = collaborative.network_waves.filter(number=number).first()
    if wave is None:
        raise Refused(_("We could not find that network survey."), status=404)
    return wave


@router.get("/collaboratives/{slug}/network", response=read(List[WaveOut]), summary="Network surveys",
            description="Each survey, newest first, with its figures once it is closed.")
def wave_list(request, slug: Text):
    collaborative, _member = seen(request, slug)
    return [_wave_out(request, wave, None if wave.is_open else network_results.results(wave))
            for wave in collaborative.network_waves.all()]


@router.get("/collaboratives/{slug}/network/{wave_number}", response=read(WaveDetailOut),
            summary="A network survey's map",
            description="Once closed: its figures, each partner with its ties, and each sector's ties.")
def wave_detail(request, slug: Text, wave_number: int):
    collaborative, _member = seen(request, slug)
    wave = _wave(collaborative, wave_number)
    if wave.is_open:
        return {**_wave_out(request, wave), "partners": [], "sectors": []}
    found = network_results.results(wave, every_tie=True)
    nodes = [{"id": n.pk, "name": n.name, "sector": n.sector, "sector_label": str(n.sector_label),
              "degree": n.degree, "named": n.named, "named_by": n.named_by, "trust": _number(n.trust),
              "value": _number(n.value), "tied_to": n.tied_to, "change": n.change} for n in found["nodes"]]
    sectors = [{"sector": key, "label": str(label), "partners": entry["partners"], "within": entry["within"],
                "across": entry["across"], "degree": float(entry["degree"])}
               for key, label, _look, entry, _shape in found["sectors"]]
    return {**_wave_out(request, wave, found), "partners": nodes, "sectors": sectors}


@router.get("/collaboratives/{slug}/network/{wave_number}/export/{kind}", response=REFUSALS,
            summary="Download a network survey",
            description="Convenors only (the files hold each partner's ratings of the others): the ties "
                        "(edges.csv), the partners (nodes.csv) or the whole network for Gephi (network.gexf), "
                        "the same files as the survey's page offers.",
            openapi_extra={"responses": {"200": {"description": "The file", "content": {
                "text/csv": {"schema": {"type": "string"}}, GEXF: {"schema": {"type": "string"}}}}}})
def wave_export(request, slug: Text, wave_number: int, kind: Literal[EXPORTS]):
    collaborative, _member = seen(request, slug, "manage")
    return views_network.export_response(_wave(collaborative, wave_number), kind)


@router.post("/collaboratives/{slug}/network/{wave_number}/visibility", response=answers(200, WaveOut),
             summary="Mark who may read a network survey in reports",
             description="Convenors only. Reports for funders and the public show a survey's map and "
                         "figures once it is marked public (never anyone's ratings).")
def wave_visibility(request, slug: Text, wave_number: int, data: VisibilityIn):
    collaborative, _member = seen(request, slug, "manage")
    wave = reports.set_visibility(_wave(collaborative, wave_number), data.visibility)
    return _wave_out(request, wave, None if wave.is_open else network_results.results(wave))


@router.post("/collaboratives/{slug}/network", response=answers(201, WaveOut), summary="Open a network survey",
             description="Convenors only. Every partner's representative or alternate can then answer it. "
                         "A survey already open is a 409: close it first.")
def wave_open(request, slug: Text):
    collaborative, member = seen(request, slug, "manage")
    return 201, _wave_out(request, network.open_wave(collaborative, member))
