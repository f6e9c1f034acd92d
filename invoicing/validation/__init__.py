"""Validation, pure: the official artefacts on Saxon (XSD, EN 16931, Factur-X profiles), the report, the process pool."""
