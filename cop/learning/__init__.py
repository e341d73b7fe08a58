"""Formazione: learning resources grouped into paths, progress, and the regional page."""
