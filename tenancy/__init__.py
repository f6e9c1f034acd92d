"""Workspaces and what confines them: public structures and their services, members, the tenant-scoped
database (row-level security, privileged sessions), and the small helpers every layer above shares."""
