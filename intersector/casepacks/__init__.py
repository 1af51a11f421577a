"""Case packs for the partnering-agreement simulation: read, check, write back, and seat people.

    pack = casepacks.load_file("content/simulations/sacramento.yaml")   # or load(uploaded bytes)
    text = casepacks.export(pack)                                        # the same format back
    seating = casepacks.assign_roles([(id, sector), ...], [table ids], pack.roles)

A pack that cannot be used raises `CasePackError` (a `Refused`, so a view may let it through):
its `problems` are sentences a facilitator can act on ("Line 42, roles › transit › brief: ...").
The file format is described for facilitators in docs/case-packs.md.
"""

from intersector.casepacks.packs import (  # noqa: F401
    FORMAT, MAX_BRIEF_WORDS, MAX_FILE_BYTES, PHASE_KEYS, SECTORS, CasePack, CasePackError,
    InterestGroup, Item, Phase, Question, ResultField, Role, Section, Tension, common_debrief,
    default_phases, export, load, load_file, scorecard_elements, tensions, to_data, validate,
)
from intersector.casepacks.seating import (  # noqa: F401
    MIRROR, OBSERVER, ROLE, Seat, Seating, assign_roles, play_order, seat_latecomer, take_out,
)
