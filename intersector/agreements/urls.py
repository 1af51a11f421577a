from django.urls import path

from intersector.agreements import views

app_name = "agreements"

urlpatterns = [
    path("agree/", views.index, name="index"),
]
