from django.urls import path

from intersector.casepacks import views

app_name = "casepacks"

urlpatterns = [
    path("case-packs/", views.index, name="index"),
    path("case-packs/<int:pk>/download/", views.download, name="download"),
]
