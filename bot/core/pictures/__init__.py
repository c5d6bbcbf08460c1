"""Pictures the bot draws from its own words: a poster-like card per film and language, and a
user's year in Soviet cinema. No photograph, no still: typography, colour and geometry."""
