"""Backups and restore: `flask cop backup` writes the database (a consistent copy taken while
the site runs) and the uploaded files into one dated archive with a manifest of checksums;
`flask cop restore FILE` checks such an archive whole, then puts it back.
"""
