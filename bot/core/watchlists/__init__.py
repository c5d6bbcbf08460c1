"""Watchlists: the films a user wants to watch and has watched, and the /watchlist page."""
