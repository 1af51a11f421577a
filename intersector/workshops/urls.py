from django.urls import include, path

from intersector.workshops import public_views, views
from intersector.workshops.activities import all_kinds

app_name = "workshops"


def activity_urls():
    """Each activity kind's own URLs: phones under w/<code>/<kind>/, facilitators under
    convene/<pk>/items/<item_pk>/."""
    patterns = []
    for activity in all_kinds():
        participant, facilitator = activity.urls()
        if participant:
            patterns.append(path(f"w/<str:code>/{activity.kind}/", include(participant)))
        if facilitator:
            patterns.append(path("convene/<int:pk>/items/<int:item_pk>/", include(facilitator)))
    return patterns


urlpatterns = [
    # Back office (facilitators)
    path("convene/", views.index, name="index"),
    path("convene/new/", views.new, name="new"),
    path("convene/<int:pk>/", views.console, name="console"),
    path("convene/<int:pk>/panel/<str:name>/", views.console_panel, name="console_panel"),
    path("convene/<int:pk>/control/", views.control, name="control"),
    path("convene/<int:pk>/tables/", views.tables, name="tables"),
    path("convene/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("convene/<int:pk>/agenda/<int:item_pk>/", views.agenda_item, name="agenda_item"),
    path("convene/<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("convene/<int:pk>/facilitators/", views.invite, name="invite"),
    path("convene/<int:pk>/live", views.live, name="live"),
    path("convene/<int:pk>/live/poll", views.live_poll, name="live_poll"),
    path("convene/<int:pk>/results/", views.results, name="results"),
    path("convene/<int:pk>/notes.csv", views.notes_csv, name="notes_csv"),
    path("convene/<int:pk>/report/", views.report, name="report"),
    path("convene/<int:pk>/report/<int:report_pk>.pdf", views.report_pdf, name="report_pdf"),
    # Public side (participants and the room's projector)
    path("w/", public_views.enter_code, name="enter_code"),
    path("w/<str:code>/", public_views.join, name="join"),
    path("w/<str:code>/now", public_views.now, name="now"),
    path("w/<str:code>/live", public_views.live, name="phone_live"),
    path("w/<str:code>/live/poll", public_views.live_poll, name="phone_live_poll"),
    path("w/<str:code>/screen", public_views.projector, name="projector"),
    path("w/<str:code>/screen/now", public_views.projector_now, name="projector_now"),
    path("w/<str:code>/qr.svg", public_views.qr_code, name="qr"),
    *activity_urls(),
]
