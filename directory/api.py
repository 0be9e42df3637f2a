"""Directory API: public reads of regions, departments, authorities, halls and outlets."""

from __future__ import annotations

from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate

from core.errors import NotFound
from core.pagination import BoundedPagination
from core.problems import with_problems

from . import selectors

router = Router(tags=["directory"])


class RegionOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    level: str
    parent: str | None
    official_code: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class DepartmentOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    remit: str
    authority_count: int


class AuthorityOut(Schema):
    id: int
    name: str
    name_zh: str
    department: str
    region: str

    @staticmethod
    def resolve_department(obj) -> str:
        return obj.department.code

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class WindowOut(Schema):
    number: str
    kind: str
    authorities: list[int]

    @staticmethod
    def resolve_authorities(obj) -> list[int]:
        return [a.pk for a in obj.authorities.all()]


class HallOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    address_zh: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    window_count: int
    is_demo: bool

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class HallDetailOut(HallOut):
    windows: list[WindowOut]

    @staticmethod
    def resolve_windows(obj):
        return obj.windows.prefetch_related("authorities")


class BankOutletOut(Schema):
    code: str
    name: str
    region: str
    address_zh: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_demo: bool

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


@router.get("/regions", response=with_problems(list[RegionOut]), summary="Regions of the city")
@paginate(BoundedPagination)
def regions(request, level: str | None = None, within: str | None = None):
    return selectors.region_list(level=level, within=within)


@router.get("/departments", response=with_problems(list[DepartmentOut]))
def departments(request):
    return selectors.department_list()


@router.get("/authorities", response=with_problems(list[AuthorityOut]))
@paginate(BoundedPagination)
def authorities(request, department: str | None = None, region: str | None = None):
    return selectors.authority_list(department=department, region=region)


@router.get("/halls", response=with_problems(list[HallOut]))
@paginate(BoundedPagination)
def halls(request, kind: str | None = None, region: str | None = None):
    return selectors.hall_list(kind=kind, region=region)


@router.get("/halls/{code}", response=with_problems(HallDetailOut, 404))
def hall(request, code: str):
    found = selectors.hall_list().filter(code=code).first()
    if found is None:
        raise NotFound()
    return found


@router.get("/bank-outlets", response=with_problems(list[BankOutletOut]))
@paginate(BoundedPagination)
def bank_outlets(request, region: str | None = None):
    return selectors.bank_outlet_list(region=region)
