"""Joining a structure, from the people's side: the accounts involved, a new account from an invitation,
and the mail each step sends (through the outbox, in the step's own transaction)."""
