"""Tests of invoicing.flux."""
