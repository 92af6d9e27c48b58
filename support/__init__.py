"""Code the tests and the benchmarks share (clients, clocks, a `make run` in a subprocess); never deployed."""
