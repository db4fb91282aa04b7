"""Pure Block Kit builders, the parsers of their views, and their ids."""
