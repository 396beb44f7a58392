"""Backups: the database and every upload in one checked file.

`flask --app app backup DEST` (`writing`) reads the whole database inside one read transaction
(a snapshot: SQLite in WAL mode, PostgreSQL REPEATABLE READ), so the board keeps serving and
writing meanwhile, streams the rows instead of holding them, and writes DEST.tmp before
renaming it to DEST. `restore SRC` (`restoring`) reads the whole file and checks every checksum
before it changes anything, replaces all rows in one transaction, and swaps the uploads in only
after that transaction committed. The file's layout is described in `format`; `report` holds
the small helpers both commands print with.
"""
