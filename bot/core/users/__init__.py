"""Users: the language to answer in, and who was seen or started the bot."""
