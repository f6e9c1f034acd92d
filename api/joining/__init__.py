"""Joining a workspace in GraphQL: its pending requests and invitations, and the viewer's own."""
