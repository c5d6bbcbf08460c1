"""Where to watch: the verified links to official places, and their periodic checks."""
