from django.conf import settings


def site(request):
    return {"site_name": "Intersector", "debug": settings.DEBUG}
