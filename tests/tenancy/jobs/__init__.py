"""Tests of tenancy.jobs."""
