"""Tests of the invoicing domain: formats, validation, conversion, hardening."""
