"""The policy file: reading the TOML, the boundary profiles and the other sections' settings ([pulse],
[rewards], [digest]), and every version kept, with the one in force."""
