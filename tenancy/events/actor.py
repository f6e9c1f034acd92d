"""Who an event names as its author: as the workspace's history shows them."""

from __future__ import annotations

from dataclasses import dataclass

from tenancy.events.types import ActorKind

SYSTEM_NAME = "facturehub"


@dataclass(frozen=True)
class EventActor:
    name: str
    kind: ActorKind

    @classmethod
    def of_subject(cls, name: str, subject: str) -> EventActor:
        """From a token's subject: ``user:<id>`` is a person, ``client:<id>`` an app on its own."""
        kind = subject.partition(":")[0]
        if kind == "user":
            return cls(name, ActorKind.USER)
        if kind == "client":
            return cls(name, ActorKind.CLIENT)
        return cls(name, ActorKind.SYSTEM)

    @classmethod
    def system(cls, name: str = SYSTEM_NAME) -> EventActor:
        return cls(name, ActorKind.SYSTEM)
