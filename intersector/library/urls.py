from django.urls import path

from intersector.library import views

app_name = "library"

urlpatterns = [
    path("learn/", views.index, name="index"),
]
