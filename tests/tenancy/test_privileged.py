"""Cross-tenant transactions reach only the tenants they name, and are widened only on purpose."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tenancy import privileged
from tenancy.db import Database
from tenancy.models import Service
from tests.factories import make_service, make_structure


async def test_a_cross_tenant_transaction_sees_the_services_of_the_tenants_it_names_and_of_those_it_adds(
    db: Database,
) -> None:
    # Given a supplier and a public entity with a service
    supplier = await make_structure(db, name="Atelier")
    entity = await make_structure(db, public=True, name="Mairie")
    await make_service(db, entity, "FINANCES")
    async with privileged.across(db, {supplier.id}) as session:
        # When a transaction opened for the supplier looks for the entity's service, it does not see it
        assert await privileged.service_by_code(session, entity.id, "FINANCES") is None
        assert list(await session.scalars(select(Service))) == []
        # Then, once the entity is included (found in the directory), it does
        privileged.include(session, entity.id)
        found = await privileged.service_by_code(session, entity.id, "FINANCES")
        assert found is not None and found.tenant_id == entity.id


async def test_only_a_cross_tenant_transaction_is_widened(db: Database) -> None:
    structure = await make_structure(db)
    async with db.tenant_session(structure.id) as session:
        with pytest.raises(ValueError, match="across"):
            privileged.include(session, structure.id)
