"""The case simulation's URLs, mounted by the core in the namespace workshops:casesim: phones'
under w/<code>/casesim/, facilitators' under convene/<pk>/items/<item_pk>/casesim/. Each module
lists its own."""

from intersector.workshops import qna
from intersector.workshops.activities.casesim import show, views_agree, views_console, views_phone
from intersector.workshops.activities.casesim.activity import activity

_qna_phone, _qna_console = qna.urls_for(activity)  # the room's questions in the report back
participant_urls = [*views_phone.urls, *views_agree.urls, *_qna_phone]
facilitator_urls = [*views_console.urls, *show.urls, *_qna_console]
