"""The film club quiz: questions made from the catalogue, rounds alone or as a group."""
