"""The policy file: reading the TOML, each section's settings, and the versions kept with the one in force."""
