"""Who the caller is, as history and the event log name them: a person's display name or an app's."""

from __future__ import annotations

from api.core.context import Context
from auth import users
from tenancy.events.actor import EventActor


async def acting_name(context: Context) -> str:
    """The user's display name, or the API client's name for a technical account (client credentials);
    read once per access token."""
    principal = context.principal
    name = context.actor_names.get(principal.token_id) if principal.token_id else None
    if name is None:
        name = await users.actor_name(context.db, principal.tenant, principal.user_id, principal.client_id)
        if principal.token_id:
            context.actor_names.put(principal.token_id, name)
    return name


async def event_actor(context: Context) -> EventActor:
    return EventActor.of_subject(await acting_name(context), context.principal.subject)
