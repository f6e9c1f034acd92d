"""The invoicing domain: formats, validation, deposit, life cycle, fluxes and background jobs (one
sub-package each), the invoice lists (inbox) and the ``validate``/``convert`` commands (cli)."""
