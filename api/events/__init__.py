"""GraphQL shape of a workspace's event log."""
