"""The case simulation: tables negotiate a partnering agreement, each person playing a confidential
role from a case pack (intersector/casepacks), then the room compares the tables' results.

Who owns what in this folder (each a module of its own, so they can grow apart):
- models.py      the running simulation: its pack snapshot, seats and roles, tables' phases,
                 family proposals, the shared sheet, and nothing confidential anywhere else;
- state.py       reading it (the simulation of an item, a person's seat, role and brief in their
                 language) and starting it (snapshot + seating);
- table.py       what a table does from its phones (brief, families, sheet) -- services;
- phases.py      the server clock, extensions, moving tables on, seating changes, revealing;
- show.py        projector, debrief prompts, results, exports, the draft sent to Agree;
- views_phone.py / views_console.py  thin views over those services.
"""
