"""`python -m bot ...`: the same as the `latitude` command."""

from bot.cli import main

raise SystemExit(main())
