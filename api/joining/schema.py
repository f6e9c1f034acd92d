"""The mutations of joining: the administrators' (invitations, requests' answers) and the viewer's (asking)."""

from __future__ import annotations

import strawberry

from api.joining.mutations.approve_membership_request import approve_membership_request
from api.joining.mutations.decline_membership_request import decline_membership_request
from api.joining.mutations.invite_member import invite_member
from api.joining.mutations.request_membership import request_membership
from api.joining.mutations.withdraw_invitation import withdraw_invitation


@strawberry.type
class JoiningMutation:
    invite_member = invite_member
    withdraw_invitation = withdraw_invitation
    approve_membership_request = approve_membership_request
    decline_membership_request = decline_membership_request
    request_membership = request_membership
