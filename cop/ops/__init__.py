"""Operations: what the people who run cop read about it.

- Logs: with LOG_FORMAT "json", one JSON object per line on stderr, each line of a request
  carrying its id (X-Request-ID, taken from the proxy when sane, else made here), and one
  access line per request.
- Metrics for Prometheus at `/metrics`, shown only to a bearer of METRICS_TOKEN (and, with
  METRICS_ALLOW_LOOPBACK, to requests from the machine itself): request durations and SQL
  statements per endpoint, the email queue, when each scheduled command last succeeded.
- `job_runs`: when each scheduled command (and the email worker's last pass) last succeeded
  or failed, kept in the database so that every app server reports the same.
"""
