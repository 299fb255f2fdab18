"""The names of the timing sources parcferme reads, alone in a module: the command line lists them in
its options without importing the readers or the format detection."""

# Every format `formats.detect.detect_format` can answer, in the order the command line lists them.
FORMATS = ("folder", "alkamel", "acc", "ac", "rf2", "iracing", "rmonitor", "p3", "event-json")
