"""`make bench`: wall times of the app against references, and of its watching."""
