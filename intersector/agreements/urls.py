from django.urls import path

from intersector.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.index, name="index"),
]
