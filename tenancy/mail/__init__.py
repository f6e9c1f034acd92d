"""Mail that leaves: an outbox written in the caller's transaction, sent by the job worker.

The whole API::

    from tenancy.mail import MailTemplate, enqueue_mail
    await enqueue_mail(session, "ada@example.fr", MailTemplate.PASSWORD_RESET, "fr", {"link": url})

``catalogue.PARAMS`` lists each template's parameters; the worker gets ``mail_handler(MailConfig)`` for the
job kind ``JOB_KIND`` (invoicing.background does it). Templates: ``templates/<fr|en>/<name>.j2``.
"""

from tenancy.mail.address import InvalidAddress
from tenancy.mail.catalogue import LOCALES, MailLocale, MailTemplate
from tenancy.mail.config import MailConfig, MailConfigError
from tenancy.mail.enqueue import JOB_KIND, enqueue_mail
from tenancy.mail.rendering import MailParamsError
from tenancy.mail.sender import mail_handler

__all__ = [
    "JOB_KIND",
    "LOCALES",
    "InvalidAddress",
    "MailConfig",
    "MailConfigError",
    "MailLocale",
    "MailParamsError",
    "MailTemplate",
    "enqueue_mail",
    "mail_handler",
]
