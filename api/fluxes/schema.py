"""The mutation of fluxes (archives of invoices)."""

from __future__ import annotations

import strawberry

from api.fluxes.mutations.deposit_flux import deposit_flux


@strawberry.type
class FluxMutation:
    deposit_flux = deposit_flux
