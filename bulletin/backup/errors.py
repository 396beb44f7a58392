"""The one error the backup modules raise for the user to read."""


class BackupError(Exception):
    """A backup that cannot be written or used; the message tells the user why."""
