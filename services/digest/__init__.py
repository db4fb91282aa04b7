"""Weekly manager digests: the week, each part (resolutions, recognition, pulse) and who may preview which."""
