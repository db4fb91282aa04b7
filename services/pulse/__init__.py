"""Pulse polls: rounds and invitations, anonymous answers, results per team, the comment relay, and the
anonymity rule all of them obey (anonymity.py, on its own page)."""
