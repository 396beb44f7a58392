"""Posts: public reading and staff editing."""
