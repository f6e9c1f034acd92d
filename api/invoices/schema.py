"""The invoice mutations: deposits, then the life-cycle actions."""

from __future__ import annotations

import strawberry

from api.invoices.mutations.acknowledge_rejection import acknowledge_rejection
from api.invoices.mutations.complete_invoice import complete_invoice
from api.invoices.mutations.create_invoice import create_invoice
from api.invoices.mutations.preview_invoice import preview_invoice
from api.invoices.mutations.process_invoice import process_invoice
from api.invoices.mutations.recycle_invoice import recycle_invoice
from api.invoices.mutations.submit_invoice import submit_invoice
from api.invoices.mutations.validate_subcontract_invoice import validate_subcontract_invoice


@strawberry.type
class InvoiceMutation:
    submit_invoice = submit_invoice
    create_invoice = create_invoice
    preview_invoice = preview_invoice
    process_invoice = process_invoice
    complete_invoice = complete_invoice
    recycle_invoice = recycle_invoice
    acknowledge_rejection = acknowledge_rejection
    validate_subcontract_invoice = validate_subcontract_invoice
