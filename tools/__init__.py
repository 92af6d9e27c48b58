"""Developer tools run from the checkout (`make proto`); never deployed."""
