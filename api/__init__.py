"""The outside of the hub: the GraphQL schema (one sub-package per domain), the Starlette app, the CLI, the demo."""
