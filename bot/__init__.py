"""Composition root: settings, database, clock, Bolt app, scheduler and the CLI."""
