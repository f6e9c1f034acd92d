"""The job kinds of the auth layer and their handlers; api hands them to the hub's worker (invoicing, which
runs the worker, cannot import auth: the two layers are independent)."""

from __future__ import annotations

from auth import password_reset
from tenancy.jobs.worker import Handler

HANDLERS: dict[str, Handler] = {password_reset.JOB_KIND: password_reset.run_request}
