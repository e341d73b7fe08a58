"""Meeting records: planning, invitations and answers, the register, minutes with decisions
and actions and their review, feedback, materials, calendars and .ics feeds."""
