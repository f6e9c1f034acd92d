"""Each workspace's event log: every change it can see, written in the transaction of the change."""
