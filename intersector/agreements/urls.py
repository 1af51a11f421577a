from django.urls import path

from intersector.agreements import views

app_name = "agreements"

urlpatterns = [
    path("agree/", views.index, name="index"),
    path("agreements/scorecard/", views.scorecard, name="scorecard"),
    path("agreements/scorecard/reset/", views.scorecard_reset, name="scorecard_reset"),
    path("agreements/scorecard/self-assessment.csv", views.scorecard_csv, name="scorecard_csv"),
    path("agreements/scorecard/versions/", views.scorecard_versions, name="scorecard_versions"),
    path("agreements/scorecard/versions/<int:number>.yaml", views.scorecard_yaml, name="scorecard_yaml"),
    path("agreements/new/", views.new_agreement, name="new"),
    path("agreements/join/<str:token>/", views.join, name="join"),
    path("agreements/guest/<str:token>/", views.guest_join, name="guest_join"),
    path("agreements/<uuid:pk>/", views.detail, name="detail"),
    path("agreements/<uuid:pk>/invitations/", views.invitations_sent, name="invitations"),
    path("agreements/<uuid:pk>/partners/<int:partner_id>/invite/", views.partner_invite,
         name="partner_invite"),
    path("agreements/<uuid:pk>/partners/<int:partner_id>/withdraw/", views.partner_withdraw,
         name="partner_withdraw"),
    path("agreements/<uuid:pk>/guests/", views.guests, name="guests"),
    path("agreements/<uuid:pk>/guests/<int:guest_id>/withdraw/", views.guest_revoke, name="guest_revoke"),
    path("agreements/<uuid:pk>/focus/", views.focus, name="focus"),
    path("agreements/<uuid:pk>/write/", views.write, name="write"),
    path("agreements/<uuid:pk>/elements/<slug:element>/", views.save_element, name="save_element"),
    path("agreements/<uuid:pk>/compare/", views.compare, name="compare"),
    path("agreements/<uuid:pk>/publish/", views.publish, name="publish"),
    path("agreements/<uuid:pk>/elements/<slug:element>/comments/", views.comment, name="comment"),
    path("agreements/<uuid:pk>/sign/", views.sign, name="sign"),
    path("agreements/<uuid:pk>/new-version/", views.new_version, name="new_version"),
    path("agreements/<uuid:pk>/live/", views.live, name="live"),
    path("agreements/<uuid:pk>/live/poll/", views.live_poll, name="live_poll"),
    path("agreements/<uuid:pk>/changed/", views.changed_notice, name="changed"),
    path("agreements/<uuid:pk>/history/", views.history, name="history"),
    path("agreements/<uuid:pk>/agreement.<str:kind>", views.export_agreement, name="export"),
    path("agreements/<uuid:pk>/scorecard.<str:kind>", views.export_scorecard, name="export_scorecard"),
    path("agreements/reviews/new/", views.review_new, name="review_new"),
    path("agreements/reviews/<uuid:pk>/", views.review, name="review"),
    path("agreements/reviews/<uuid:pk>/confirm-all/", views.review_confirm_all, name="review_confirm_all"),
    path("agreements/reviews/<uuid:pk>/elements/<slug:element>/", views.review_confirm,
         name="review_confirm"),
]
