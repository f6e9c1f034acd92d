"""The request's DataLoaders, one group per domain: built with each request, so nothing is cached across them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from api.loaders.directory import DirectoryLoaders
from api.loaders.fluxes import FluxLoaders
from api.loaders.invoices import InvoiceLoaders
from api.loaders.members import MemberLoaders
from api.loaders.transaction import Transaction
from tenancy.db import Database


@dataclass(frozen=True)
class Loaders:
    directory: DirectoryLoaders
    fluxes: FluxLoaders
    invoices: InvoiceLoaders
    members: MemberLoaders

    @classmethod
    def build(cls, transaction: Transaction, tenant_id: uuid.UUID, db: Database) -> Loaders:
        return cls(
            directory=DirectoryLoaders(db),
            fluxes=FluxLoaders(transaction, tenant_id),
            invoices=InvoiceLoaders(transaction, tenant_id),
            members=MemberLoaders(transaction),
        )
