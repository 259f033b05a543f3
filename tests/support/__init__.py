"""Test support: factories and real services (PostgreSQL, uvicorn) the tests start themselves."""
