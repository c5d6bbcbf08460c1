"""Asking in one's own words: a message read as a wish with filters (people, works, themes, moods,
decades, studios) taken from the catalogue's own vocabulary, and the answer to it."""
