from django.urls import path

from intersector.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<uuid:job_id>/", views.job_detail, name="detail"),
    path("<uuid:job_id>/status", views.job_status, name="status"),
    path("<uuid:job_id>.json", views.job_json, name="json"),
    path("<uuid:job_id>/retry", views.job_retry, name="retry"),
]
