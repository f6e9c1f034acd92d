"""facturehub package."""
