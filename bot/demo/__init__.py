"""A scripted demo of the whole bot against a local Slack stand-in."""
