"""The files of an archive folder, and how long a writer waits for another by default."""

DB_NAME = "archive.sqlite"
INDEX_DIR = "index"
LOCK_NAME = "write.lock"
DEFAULT_WAIT = 5.0
