"""Sign-up over HTTP against the in-process hub, its mail read from a real SMTP server on loopback."""

from __future__ import annotations

from tests.tenancy.mail.conftest import start_smtp

__all__ = ["start_smtp"]
