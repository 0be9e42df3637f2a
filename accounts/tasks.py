"""Background work of the accounts app; tasks take ids and are safe to run twice."""

from __future__ import annotations

from django.conf import settings
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


@task()
def send_notification_task(*, notification_id: int, sms: bool = False) -> list[str]:
    """Send the e-mail (and SMS) copies of a site notice. Returns the channels used."""
    from core.sms import sms_provider

    from .models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return []
    user, sent = notification.user, []
    link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
    if user.email:
        send_mail(notification.subject, "\n\n".join(filter(None, [notification.body, link])),
                  None, [user.email])  # fmt: skip
        sent.append("email")
    person = getattr(user, "person", None) if user.is_person else None
    if sms and person is not None and person.phone:
        sms_provider().send(person.phone, f"{notification.subject} {link}".strip())
        sent.append("sms")
    return sent
