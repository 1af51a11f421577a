from django.urls import path

from intersector.library import views

app_name = "library"

urlpatterns = [
    path("learn/", views.index, name="index"),
    path("search/", views.site_search, name="search"),
    path("toolkit/", views.toolkit, name="toolkit"),
    path("toolkit/print/", views.toolkit_print, name="toolkit_print"),
    path("toolkit/intersector-toolkit.pdf", views.toolkit_pdf, name="toolkit_pdf"),
    path("toolkit/pdf-status/", views.toolkit_pdf_status, name="toolkit_pdf_status"),
    path("toolkit/tools/<slug:slug>/", views.tool_detail, name="tool"),
    path("toolkit/<slug:slug>/", views.stage_detail, name="stage"),
    path("cases/", views.case_list, name="cases"),
    path("cases/like-mine/", views.cases_like_mine, name="cases_like_mine"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/export.csv", views.resources_csv, name="resources_csv"),
    path("resources/import/", views.resources_import, name="resources_import"),
    path("resources/import/<uuid:upload_id>/", views.import_preview, name="import_preview"),
    path("resources/import/<uuid:upload_id>/report/", views.import_report, name="import_report"),
    path("resources/<slug:slug>/", views.resource_detail, name="resource"),
    path("briefings/", views.briefing_list, name="briefings"),
    path("briefings/feed.atom", views.briefings_feed, name="briefings_feed"),
    path("briefings/newsletter/", views.newsletter_signup, name="newsletter_signup"),
    path("briefings/newsletter/issues/", views.newsletter_issues, name="newsletter_issues"),
    path("briefings/newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("briefings/newsletter/unsubscribe/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("briefings/<slug:slug>/", views.briefing_detail, name="briefing"),
]
