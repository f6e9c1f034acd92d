"""What a refusal or a finding says, in the request's language: its message and the name of its term."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from api.core.context import Context
from invoicing.formats.terms import term_name
from invoicing.wording import Said


@strawberry.type
class Explained:
    """Shared by every type that tells a person what is wrong (invoice errors, flux problems, findings)."""

    bt: str | None = strawberry.field(description="The business term concerned (BT-10...), when there is one.")
    said: strawberry.Private[Said]

    @strawberry.field(description="What to change, in the request's language (Accept-Language: fr or en; else en).")
    def message(self, info: Info[Context, None]) -> str:
        return self.said.text(info.context.locale)

    @strawberry.field(description="The business term's name (BT-112: Invoice total amount with VAT), in that language.")
    def bt_name(self, info: Info[Context, None]) -> str | None:
        return term_name(self.bt, info.context.locale) if self.bt else None
