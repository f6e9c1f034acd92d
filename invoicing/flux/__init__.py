"""Fluxes: reading an archive of invoices (pure) and integrating it in the background."""
