"""Staff login, sessions and accounts."""
