from django.conf import settings


def site(request):
    return {
        "site_name": settings.ONESTOP_SITE_NAME,
        "elderly_mode": getattr(request, "elderly_mode", False),
        "onestop_env": settings.ONESTOP_ENV,
    }
