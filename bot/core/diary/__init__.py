"""The diary: each viewing with its date and rating, and the community's ratings (/top)."""
