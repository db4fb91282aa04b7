"""Readers frozen as they stood when a data migration was written: a migration reads stored rows as the code of its
day did, never as services/ reads them today (that code moves on; a migration must give the same result whenever it
runs). A module here is never changed after its migration ships; once, 0059's copy of today's reader took the questions
its review added, so that 0059 keeps the fixes today's reader asks about (README, migration 0059)."""
