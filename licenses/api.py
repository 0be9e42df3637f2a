"""E-license API: the public list of license types."""

from __future__ import annotations

from ninja import Router, Schema

from core.problems import with_problems

from . import selectors

router = Router(tags=["licenses"])


class LicenseTypeOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    issuer: str

    @staticmethod
    def resolve_issuer(obj) -> str:
        return obj.issuer.code


@router.get("/types", response=with_problems(list[LicenseTypeOut]), summary="E-license types")
def license_types(request):
    return selectors.license_type_list()
