"""Tests of invoicing.validation."""
