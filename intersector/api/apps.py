from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "intersector.api"
    label = "api"
    verbose_name = "API"
