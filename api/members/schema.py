"""The mutations of the workspace's members."""

from __future__ import annotations

import strawberry

from api.members.mutations.add_member import add_member
from api.members.mutations.remove_member import remove_member
from api.members.mutations.update_member import update_member


@strawberry.type
class MemberMutation:
    add_member = add_member
    update_member = update_member
    remove_member = remove_member
