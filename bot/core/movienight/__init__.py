"""Movie night: a group chooses tonight's film together, from its members' watchlists."""
