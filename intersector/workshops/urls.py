from django.urls import include, path

from intersector.workshops import projector, public_views, rejoin_views, views
from intersector.workshops.activities import all_kinds

app_name = "workshops"


def kind_urls(activity):
    """One kind's own URLs, in the namespace workshops:<kind>: phones' under w/<code>/<kind>/,
    facilitators' under convene/<pk>/items/<item_pk>/<kind>/ (so two kinds never collide)."""
    participant, facilitator = activity.urls()
    patterns = []
    if participant:
        patterns.append(path(f"w/<str:code>/{activity.kind}/", include(participant)))
    if facilitator:
        patterns.append(path(f"convene/<int:pk>/items/<int:item_pk>/{activity.kind}/", include(facilitator)))
    return path("", include((patterns, activity.kind)))


urlpatterns = [
    # Back office (facilitators)
    path("convene/", views.index, name="index"),
    path("convene/new/", views.new, name="new"),
    path("convene/<int:pk>/", views.console, name="console"),
    path("convene/<int:pk>/panel/<str:name>/", views.console_panel, name="console_panel"),
    path("convene/<int:pk>/control/", views.control, name="control"),
    path("convene/<int:pk>/end/", views.end, name="end"),
    path("convene/<int:pk>/tables/", views.tables, name="tables"),
    path("convene/<int:pk>/people/<int:person_pk>/", views.person, name="person"),
    path("convene/<int:pk>/rejoins/", views.rejoins, name="rejoins"),
    path("convene/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("convene/<int:pk>/agenda/<int:item_pk>/", views.agenda_item, name="agenda_item"),
    path("convene/<int:pk>/languages/", views.languages, name="languages"),
    path("convene/<int:pk>/languages/choose/", views.choose_language, name="choose_language"),
    path("convene/<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("convene/<int:pk>/facilitators/", views.invite, name="invite"),
    path("convene/<int:pk>/live", views.live, name="live"),
    path("convene/<int:pk>/live/poll", views.live_poll, name="live_poll"),
    path("convene/<int:pk>/results/", views.results, name="results"),
    path("convene/<int:pk>/exports/<str:kind>/<str:name>", views.export, name="export"),
    path("convene/<int:pk>/report/", views.report, name="report"),
    path("convene/<int:pk>/report/<int:report_pk>.pdf", views.report_pdf, name="report_pdf"),
    # Public side (participants and the room's projector)
    path("w/", public_views.enter_code, name="enter_code"),
    path("w/<str:code>/", public_views.join, name="join"),
    path("w/<str:code>/now", public_views.now, name="now"),
    path("w/<str:code>/screens/<str:key>/<str:language>/<str:version>", public_views.shared_screen,
         name="shared_screen"),
    path("w/<str:code>/mine", public_views.mine, name="mine"),
    path("w/<str:code>/rejoin/", rejoin_views.rejoin, name="rejoin"),
    path("w/<str:code>/rejoin/ask", rejoin_views.ask, name="rejoin_ask"),
    path("w/<str:code>/rejoin/answer", rejoin_views.answer, name="rejoin_answer"),
    path("w/<str:code>/live", public_views.live, name="phone_live"),
    path("w/<str:code>/live/poll", public_views.live_poll, name="phone_live_poll"),
    path("w/<str:code>/screen", projector.projector, name="projector"),
    path("w/<str:code>/screen/now", projector.projector_now, name="projector_now"),
    path("w/<str:code>/qr.svg", public_views.qr_code, name="qr"),
    *[kind_urls(activity) for activity in all_kinds()],
    # Links made before kinds had their own segment (e.g. a finished job's "see the themes").
    path("convene/<int:pk>/items/<int:item_pk>/<path:rest>", views.item_page_moved, name="item_page_moved"),
]
