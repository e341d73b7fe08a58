"""Digest emails: what happened in a person's spaces, weekly, daily or never."""
