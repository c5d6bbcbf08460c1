"""Subscriptions to the film of the day: times and zones as people type them, the schedule, and
the delivery engine behind its Sender port."""
