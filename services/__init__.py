"""The rules of the product, free of Slack: plain functions (session, *, ..., now) -> result."""
