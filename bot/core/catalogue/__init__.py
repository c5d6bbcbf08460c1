"""The catalogue: the Film model (model.py), loading with file:line errors and the editorial rules
(loading.py), the checked copy kept for restarts (cache.py), search and likeness."""
