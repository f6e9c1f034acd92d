"""The supplier structure a newly signed-up person creates: they become its principal manager.

Public structures are not created here: they come from the operator's directory import, and the operator
names their first manager (``facturehub structure manager``).
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.models import User
from tenancy import privileged
from tenancy.db import Database
from tenancy.enums import Access, IdentifierType, Role
from tenancy.errors import DomainError, ErrorCode
from tenancy.models import Structure
from tenancy.structures import Address, StructureDraft

# Chorus Pro's identifier types for suppliers. AUTRE is left out: it says nothing of who the supplier is
# (the hub's own record uses it), and every supplier fits one of these.
SUPPLIER_TYPES = (
    IdentifierType.SIRET,
    IdentifierType.UE_HORS_FRANCE,
    IdentifierType.HORS_UE,
    IdentifierType.RIDET,
    IdentifierType.TAHITI,
    IdentifierType.PARTICULIER,
)


@dataclass(frozen=True)
class SupplierForm:
    identifier_type: str
    identifier: str
    name: str
    address: Address


def supplier_type(value: str) -> IdentifierType:
    kind = next((k for k in SUPPLIER_TYPES if k.value == value), None)
    if kind is None:
        said = ", ".join(k.value for k in SUPPLIER_TYPES)
        raise DomainError.single("identifierType", ErrorCode.INVALID, f"the identifier type is one of {said}")
    return kind


async def create_supplier(db: Database, creator: User, form: SupplierForm) -> Structure:
    """Check the form (identifier with its type's rules, name, address) and create the structure with
    ``creator`` as its principal manager with write access; DomainError names the wrong field, or DUPLICATE
    on ``identifier`` when a structure already has it."""
    draft = StructureDraft(
        identifier_type=supplier_type(form.identifier_type),
        identifier=form.identifier,
        name=form.name,
        is_public=False,
        email=creator.email,
        address=form.address,
    )
    return await privileged.create_structure_with_manager(
        db, draft, user_id=creator.id, role=Role.GESTIONNAIRE_PRINCIPAL, access=Access.WRITE
    )
