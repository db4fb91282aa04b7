"""Suggestions from the frontline, "you said, we did", and boundary proposals drawn from a month of fixes."""
