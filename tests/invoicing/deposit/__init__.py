"""Tests of invoicing.deposit."""
