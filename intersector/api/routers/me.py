from ninja import Router, Schema

router = Router(tags=["account"])


class ErrorOut(Schema):
    detail: str


class MeOut(Schema):
    username: str
    name: str
    email: str
    is_staff: bool


@router.get(
    "/me",
    response={200: MeOut, 401: ErrorOut},
    summary="Who am I",
    description="The account the request is made as: by its API token or the signed-in session.",
)
def me(request):
    user = request.auth
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "email": user.email,
        "is_staff": user.is_staff,
    }
