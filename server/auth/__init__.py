"""Users, password hashing and access tokens."""
