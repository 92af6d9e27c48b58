"""`tgw console`: a read-only web console on 127.0.0.1 over the same stored data the other commands read."""
