from django.urls import path

from intersector.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
]
