"""The hub's background work: the handler of each job kind, and the worker that runs them all.

Here, above the job queue, so that the queue and the worker know no job kind: the kinds' modules (fluxes,
timers, mail) enqueue through the queue, and this module hands their handlers to the worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from invoicing.flux import service as flux
from invoicing.lifecycle import timers
from tenancy import mail
from tenancy.db import Database
from tenancy.jobs.queue import DEFAULT_LEASE, Clock
from tenancy.jobs.worker import GaveUp, Handler, Worker

HANDLERS: dict[str, Handler] = {flux.JOB_KIND: flux.run_job, timers.TACIT_VALIDATION: timers.run_tacit_validation}
GAVE_UP: dict[str, GaveUp] = {flux.JOB_KIND: flux.mark_incident}  # a flux whose job gave up is IN_INCIDENTE


def hub_worker(
    db: Database,
    *,
    mail_config: mail.MailConfig | None = None,
    clock: Clock | None = None,
    lease: timedelta = DEFAULT_LEASE,
    poll_interval: float = 2.0,
    listen: bool = True,
    more: Mapping[str, Handler] | None = None,
) -> Worker:
    """A worker for every job kind the hub has; mail only with a ``mail_config`` (else left to other workers);
    ``more``: the job kinds of layers invoicing may not import (auth's, handed over by api)."""
    handlers = {**HANDLERS, **(more or {})}
    if mail_config is not None:
        handlers[mail.JOB_KIND] = mail.mail_handler(mail_config)
    return Worker(db, handlers, gave_up=GAVE_UP, clock=clock, lease=lease, poll_interval=poll_interval, listen=listen)
