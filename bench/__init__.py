"""`make bench`: numbers, never assertions. Each family module adds its scenarios."""
