"""Health: what a load balancer and the operations team ask of a running server.

- `/health/live`: the process answers (liveness; nothing else is touched).
- `/health/ready`: it can serve (readiness): the database answers, its schema is at the
  migrations' head, Redis answers when rate limits are kept there, and how old the oldest
  email waiting for the worker is. 200 when ready, 503 when not; JSON either way.
"""
