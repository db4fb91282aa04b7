"""On-the-spot fixes: judging one against the boundaries, deciding what crossed them, following up.

What nobody decided is reminded once, then escalated one level up.
"""
