from __future__ import annotations

import strawberry
from strawberry import Info

from api.core.context import Context
from api.core.errors import UserError, user_errors
from api.core.identifiers import IdentifierTypeEnum
from api.core.permissions import IsAuthenticated
from api.core.text import MULTI_LINE
from api.joining.hub import Language, LanguageEnum, now, public_url
from api.joining.types import JoinedStructure, OwnMembershipRequest
from auth.joining import requests
from tenancy.enums import IdentifierType
from tenancy.errors import DomainError, ErrorCode


@strawberry.input
class RequestMembershipInput:
    identifier: str = strawberry.field(description="The structure's identifier (a SIRET, a VAT number...).")
    identifier_type: IdentifierTypeEnum | None = strawberry.field(
        default=None, description="Needed only when structures of several types share the identifier."
    )
    message: str | None = strawberry.field(
        default=None, description="For the structure's managers: who you are, why.", metadata=MULTI_LINE
    )
    language: LanguageEnum = strawberry.field(default=Language.FR, description="The language of the answer's mail.")


@strawberry.type
class RequestMembershipPayload:
    membership_request: OwnMembershipRequest | None
    user_errors: list[UserError]


@strawberry.mutation(
    permission_classes=[IsAuthenticated],
    description="Ask to join another structure; its principal managers are told by mail and answer.",
)
async def request_membership(info: Info[Context, None], input: RequestMembershipInput) -> RequestMembershipPayload:
    context = info.context
    user_id = context.principal.user_id
    if user_id is None:
        refusal = [UserError(field=None, code=ErrorCode.FORBIDDEN, message="a technical account joins no structure")]
        return RequestMembershipPayload(membership_request=None, user_errors=refusal)
    try:
        # Its own transaction, in the structure asked: the caller's workspace has no part in it.
        row, structure = await requests.request_membership(
            context.db,
            user_id=user_id,
            identifier=input.identifier,
            identifier_type=IdentifierType(input.identifier_type) if input.identifier_type else None,
            message=input.message,
            locale=input.language.value,
            base_url=public_url(context),
            now=now(),
        )
    except DomainError as refusal:
        return RequestMembershipPayload(membership_request=None, user_errors=user_errors(refusal))
    own = OwnMembershipRequest(
        structure=JoinedStructure.of(structure),
        status=row.status,
        message=row.message,
        role=None,
        reason=None,
        created_at=row.created_at,
        decided_at=None,
    )
    return RequestMembershipPayload(membership_request=own, user_errors=[])
