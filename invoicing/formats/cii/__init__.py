"""The UN/CEFACT CII D16B syntax binding (EN 16931-3-3): reader and writer."""
