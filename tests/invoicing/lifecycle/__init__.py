"""Tests of invoicing.lifecycle."""
