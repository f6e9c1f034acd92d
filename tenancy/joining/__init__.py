"""Joining an existing structure: requests to join (Chorus Pro's *demande de rattachement*) and invitations.

Their rows belong to the structure asked or inviting (tenant-owned, like memberships). The people are
auth's: ``auth.joining`` finds the accounts, creates one when an invitation is accepted, and sends the mail.
"""
