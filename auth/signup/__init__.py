"""Sign-up: a new account verified by a mailed link, then the supplier structure its creator manages."""
