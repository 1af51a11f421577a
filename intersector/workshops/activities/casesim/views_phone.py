"""The phones: the public case, one's own brief, the table's families and sheet."""

from intersector.workshops.activities.casesim import state

urls = []


def participant_context(item, participant):
    simulation = state.simulation_of(item)
    if simulation is None:
        return {"simulation": None}
    seat = state.seat_of(simulation, participant) or state.seat_latecomer(simulation, participant)
    return {"simulation": simulation, "seat": seat, "case": state.public_case(simulation),
            "role": state.role_for(seat), "run": state.run_of(simulation, seat.table_id if seat else None)}
