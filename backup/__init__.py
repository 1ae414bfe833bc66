"""Backing up and restoring the portal's data: the database and the uploaded files."""
