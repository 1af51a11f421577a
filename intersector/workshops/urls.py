from django.urls import path

from intersector.workshops import views

app_name = "workshops"

urlpatterns = [
    path("convene/", views.index, name="index"),
]
