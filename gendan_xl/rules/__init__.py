"""The follow-up rules on frames: calendars, slack, sync, loading, reconciliation, chasing."""
