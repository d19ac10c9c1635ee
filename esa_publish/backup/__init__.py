"""Backups of one installation (database and uploaded files) and their restoration.

``manage.py backup`` and ``manage.py restore`` are thin wrappers around :mod:`.archive`; the
format, the checks and the reasons behind them are described there and in docs/DEPLOY.md.
"""

from esa_publish.backup.archive import BackupError, create, restore, verify

__all__ = ["BackupError", "create", "restore", "verify"]
