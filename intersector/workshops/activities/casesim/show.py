"""The report: the projector, debrief prompts from the room's results, results and exports."""

from intersector.workshops.activities.casesim import state

urls = []


def screen_context(item):
    return {"simulation": state.simulation_of(item)}


def results_context(item):
    return {"simulation": state.simulation_of(item)}


def exports():
    return []
