"""The app's own tabs in Slack (the manifest's `app_home`), and who Slack lets the app message at all (`access`).

With the Messages tab off, Slack refuses every message to a DM with the app (`messages_tab_disabled`:
https://docs.slack.dev/reference/methods/chat.postMessage#errors); with the Home tab off, every Home
(`not_enabled`: https://docs.slack.dev/reference/methods/views.publish#errors). Nobody opens a DM with a bot user,
nor posts in one (`cannot_dm_bot`: https://docs.slack.dev/reference/methods/conversations.open#errors).
"""

from dataclasses import dataclass


@dataclass
class AppHome:
    """Which of the app's tabs are on: both, as the repository's manifest.yml has them, unless a test turns one off."""

    messages_tab: bool = True
    home_tab: bool = True
