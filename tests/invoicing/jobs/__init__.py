"""Tests of invoicing.jobs."""
