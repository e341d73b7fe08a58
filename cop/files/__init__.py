"""Attachments: upload checks, storage and access-checked downloads, for any feature."""
