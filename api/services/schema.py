"""The mutations of the workspace's services."""

from __future__ import annotations

import strawberry

from api.services.mutations.create_service import create_service
from api.services.mutations.update_service import update_service


@strawberry.type
class ServiceMutation:
    create_service = create_service
    update_service = update_service
