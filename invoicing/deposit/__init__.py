"""Depositing invoices: the service, the platform rules and their problems, typed-in invoices, idempotency, the records and their files."""
