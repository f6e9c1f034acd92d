from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

import strawberry
from strawberry import Info
from strawberry.file_uploads import Upload

from api.core.context import Context
from api.core.permissions import requires
from api.fluxes.types import Flux
from api.invoices.actions import actor_of
from auth.scopes import Scope
from invoicing.flux import archive
from invoicing.flux import service as flux_domain


class FluxErrorCodeValue(StrEnum):
    FLUX_TOO_LARGE = "FLUX_TOO_LARGE"
    FLUX_NOT_AN_ARCHIVE = "FLUX_NOT_AN_ARCHIVE"
    FLUX_EMPTY = "FLUX_EMPTY"
    FLUX_TOO_MANY_MEMBERS = "FLUX_TOO_MANY_MEMBERS"
    FLUX_MEMBER_TOO_LARGE = "FLUX_MEMBER_TOO_LARGE"
    FLUX_MEMBER_TYPE = "FLUX_MEMBER_TYPE"
    FLUX_BOMB = "FLUX_BOMB"
    FLUX_UNSAFE_PATH = "FLUX_UNSAFE_PATH"
    FLUX_LINK = "FLUX_LINK"
    FLUX_NESTED_ARCHIVE = "FLUX_NESTED_ARCHIVE"
    FLUX_ENCRYPTED = "FLUX_ENCRYPTED"
    FLUX_CORRUPT = "FLUX_CORRUPT"


FluxErrorCode = Annotated[
    FluxErrorCodeValue, strawberry.enum(name="FluxErrorCode", description="Why an archive was refused.")
]


@strawberry.type(description="Why the archive cannot be a flux; nothing was stored.")
class FluxError:
    field: list[str] | None
    code: FluxErrorCode
    message: str


@strawberry.input
class DepositFluxInput:
    archive: Upload = strawberry.field(
        description="A zip or tar.gz of up to 500 invoices (.xml UBL/CII, .pdf Factur-X)."
    )


@strawberry.type
class DepositFluxPayload:
    flux: Flux | None
    user_errors: list[FluxError]


def _refused(code: str, message: str) -> DepositFluxPayload:
    return DepositFluxPayload(
        flux=None, user_errors=[FluxError(field=["input", "archive"], code=FluxErrorCodeValue(code), message=message)]
    )


@strawberry.mutation(
    permission_classes=[requires(Scope.INVOICES_SUBMIT)],
    description="Deposit an archive of invoices: checked at once, integrated in the background (IN_* states).",
)
async def deposit_flux(info: Info[Context, None], input: DepositFluxInput) -> DepositFluxPayload:
    upload = input.archive
    if not hasattr(upload, "read"):
        return _refused("FLUX_NOT_AN_ARCHIVE", "expected a file upload")
    limit = archive.LIMITS.archive_bytes
    try:
        data = await upload.read(limit + 1)  # never more than the limit in memory
    finally:
        close = getattr(upload, "close", None)
        if close is not None:
            await close()  # the spooled temporary file goes now
    if isinstance(data, str):
        data = data.encode()
    if len(data) > limit:
        return _refused("FLUX_TOO_LARGE", f"the archive exceeds {limit} bytes")
    name = str(getattr(upload, "filename", None) or "flux")
    try:
        row = await flux_domain.deposit_flux(
            info.context.db, await actor_of(info.context), name, data, now=datetime.now(UTC)
        )
    except archive.ArchiveRefused as refused:
        return _refused(refused.code, refused.message)
    return DepositFluxPayload(flux=Flux.of(row), user_errors=[])
