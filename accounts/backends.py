"""Sign in with a user name, an identity number, or a registered mobile number."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from core import crypto
from core.ids import PERSON_ID_CHECKS, check_mainland_mobile

from .models import Person, User


def user_for_identifier(identifier: str) -> User | None:
    """Resolve what a person typed in the sign-in box to a user, without decrypting data."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = User.objects.filter(username=identifier).first()
    if user:
        return user
    digests = []
    for id_type, check in PERSON_ID_CHECKS.items():
        checked = check(identifier)
        if checked.ok:
            digests.append(crypto.pii_digest(f"id:{id_type.value}", checked.value))
    phone = check_mainland_mobile(identifier)
    query = Person.objects.select_related("user")
    person = query.filter(id_digest__in=digests).first() if digests else None
    if person is None and phone.ok:
        person = query.filter(phone_digest=crypto.pii_digest("phone", phone.value)).first()
    return person.user if person else None


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
