"""The case simulation's URLs, mounted by the core in the namespace workshops:casesim: phones'
under w/<code>/casesim/, facilitators' under convene/<pk>/items/<item_pk>/casesim/. Each module
lists its own."""

from intersector.workshops.activities.casesim import show, views_console, views_phone

participant_urls = [*views_phone.urls]
facilitator_urls = [*views_console.urls, *show.urls]
