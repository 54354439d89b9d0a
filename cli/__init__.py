"""`app`: a developer CLI that sets up, checks and pings the project's Convex backend."""

__version__ = "0.1.0"
