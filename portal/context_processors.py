from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.permissions import staff_roles
from accounts.selectors import unread_count


def site(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.ONESTOP_SITE_NAME,
        "elderly_mode": getattr(request, "elderly_mode", False),
        "onestop_env": settings.ONESTOP_ENV,
        # Counted only when a page shows it.
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(actor=user) if user is not None else 0
        ),
        "staff_roles": SimpleLazyObject(lambda: staff_roles(user) if user is not None else set()),
    }
