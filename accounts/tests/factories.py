"""factory-boy factories that create through the real services (never model.save())."""

from __future__ import annotations

import factory

from accounts import services
from core.ids import IdType, resident_id_check_char


def _resident_id(n: int) -> str:
    body = f"440704{1950 + n % 50}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    return body + resident_id_check_char(body)


class PersonUserFactory(factory.Factory):
    """A registered natural person: ``PersonUserFactory()`` → a User with ``.person``."""

    class Meta:
        model = dict

    id_type = IdType.RESIDENT_ID
    id_number = factory.Sequence(_resident_id)
    name = factory.Sequence(lambda n: f"居民{n:04d}")
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    password = "Factory-Pass-2026"

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.person_register(**kwargs)
