"""The UBL 2.1 syntax binding (EN 16931-3-2): reader and writer."""
