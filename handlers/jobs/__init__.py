"""Scheduled ticks, one module per job, each named after what it does; bot/scheduler.py lists when they run.

Each tick has the same shape: query and decide through services, queue what it causes in the outbox
in the same transaction, then let `drain_outbox` send it. Listeners never import the drain.
"""
