"""A user's year in Soviet cinema, drawn from their diary."""
