"""The new member's checklist: profile, skills, an introduction, a followed thread."""
