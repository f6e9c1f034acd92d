"""Identity: users, passwords and sessions, the OAuth 2 authorization server, its clients, keys and tokens."""
