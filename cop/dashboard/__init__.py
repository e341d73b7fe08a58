"""Dashboards for coordinators, facilitators and the Region: participation levels, activity,
replies, meetings, retention and coverage, each figure with its definition; early warnings."""
