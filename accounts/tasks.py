"""Background work of the accounts app; tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task


@task()
def send_welcome_task(*, user_id: int) -> bool:
    """E-mail a newly registered person a welcome notice in their language."""
    from .models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    with translation.override(user.preferred_language):
        send_mail(
            _("Welcome to OneStop"),
            _("Your OneStop account is ready. You can now apply for services online."),
            None,
            [user.email],
        )
    return True
