"""Films: finding one, a random one for a user, the film of the day and its cycle (daily.py), the
/films pages (browse.py), plain requests (intents.py), and the one card builder (card.py)."""
