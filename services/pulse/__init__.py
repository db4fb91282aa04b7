"""Pulse polls: rounds and invitations, anonymous answers, results under the anonymity rule, and the comment relay."""
