"""Every inbound trigger: Slack listeners (one module per feature) and scheduled jobs."""
