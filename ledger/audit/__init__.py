"""Audit and integrity: the hash chain over the event log, verification, who did what."""
