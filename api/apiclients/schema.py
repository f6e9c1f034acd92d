"""The mutations of the workspace's API clients and of the apps its members authorized."""

from __future__ import annotations

import strawberry

from api.apiclients.mutations.register_api_client import register_api_client
from api.apiclients.mutations.revoke_api_client import revoke_api_client
from api.apiclients.mutations.revoke_authorization import revoke_authorization
from api.apiclients.mutations.rotate_api_client_secret import rotate_api_client_secret


@strawberry.type
class ApiClientMutation:
    register_api_client = register_api_client
    rotate_api_client_secret = rotate_api_client_secret
    revoke_api_client = revoke_api_client
    revoke_authorization = revoke_authorization
