"""A tiny activity kind that exists only for the tests: it proves a kind can be added without
editing the core. Each table counts taps: a phone's tap reaches the phones of its own table (the
table's live topic) and the boards, the facilitator can start again, and the counts export.

Registered through CONVENE_EXTRA_KINDS (tests/env.py), as a site would add a kind of its own."""
