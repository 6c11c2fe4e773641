"""The summary's defaults, in one place for the library, the search server and the CLI's options.

Imports nothing: the command line reads these at start-up for its option defaults.
"""

SUMMARY_LENGTH = 120  # the summary's budget in units (about one Chinese character each)
KEYWORD_COUNT = 8  # keywords shown with a summary
DIGEST_SAMPLE = 200  # top hits a digest reads for its keywords and summary
