"""Tests of invoicing.formats."""
