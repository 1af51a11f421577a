"""The facilitator's side: the per-table overview, the phases' clock, seats, revealing."""

from intersector.workshops.activities.casesim import state

urls = []


def facilitator_context(item):
    simulation = state.simulation_of(item)
    return {"simulation": simulation,
            "runs": list(simulation.runs.select_related("table")) if simulation else []}
