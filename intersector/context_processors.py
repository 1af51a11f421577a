from django.conf import settings


def site(request):
    return {"platform_name": "Intersector", "debug": settings.DEBUG}
