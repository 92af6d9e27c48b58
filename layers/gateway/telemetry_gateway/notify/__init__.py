"""Notify relay: a Client's Dispatch is held open until a Master, long-polling its circuit, replies."""
