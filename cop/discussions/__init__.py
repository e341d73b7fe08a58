"""Threaded discussions in every space."""
