"""Tests of tenancy.mail."""
