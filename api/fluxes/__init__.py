"""Fluxes in GraphQL: depositFlux, workspace.fluxes, the Flux node and its report."""
