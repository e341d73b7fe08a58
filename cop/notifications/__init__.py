"""Notifications: follow and mute, the bell, the list, emails by each person's choice."""
