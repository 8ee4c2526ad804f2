from django.http import HttpRequest
from ninja import Router, Schema

from portevoix.accounts.permissions import authenticated_request, ensure_permission
from portevoix.accounts.roles import Permission
from portevoix.dashboard.selectors import layer_map

router = Router(tags=["map"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    organization: str
    language: str
    roles: list[str]


class PopulationOut(Schema):
    name: str
    members: int


class MapOut(Schema):
    people: int
    departments: int
    new_hires_last_year: int
    ambassadors: int
    candidates: int
    community_team: int
    populations: list[PopulationOut]


@router.get("/me", response=MeOut, summary="The signed-in person")
def me(request: HttpRequest) -> MeOut:
    user = authenticated_request(request).user
    return MeOut(
        id=user.pk,
        email=user.email,
        full_name=user.full_name,
        organization=user.organization.slug,
        language=user.language,
        roles=sorted(user.role_set),
    )


@router.get("/map", response=MapOut, summary="Live numbers of the three layers")
def map_numbers(request: HttpRequest) -> MapOut:
    user = authenticated_request(request).user
    ensure_permission(user, Permission.VIEW_MAP)
    layers = layer_map(organization=user.organization)
    return MapOut(
        people=layers.people,
        departments=layers.departments,
        new_hires_last_year=layers.new_hires_last_year,
        ambassadors=layers.ambassadors,
        candidates=layers.candidates,
        community_team=layers.community_team,
        populations=[PopulationOut(name=p.name, members=p.members) for p in layers.populations],
    )
