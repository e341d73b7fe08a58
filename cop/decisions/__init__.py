"""Decisions and polls: a group decides in a discussion or on a meeting's agenda item."""
