"""The invoice life cycle: the transition table, the service that moves a transmission along it, timers."""
