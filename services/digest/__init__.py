"""Weekly manager digests: the local week, the digest's view of the org, each part (resolutions, recognition,
pulse), which digests are due under which outbox key, and who may preview which."""
