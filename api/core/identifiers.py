"""The structure identifier types as a GraphQL enum, for every part of the API that names a structure."""

from __future__ import annotations

from typing import Annotated

import strawberry

from tenancy.enums import IdentifierType

IdentifierTypeEnum = Annotated[IdentifierType, strawberry.enum(name="IdentifierType")]
