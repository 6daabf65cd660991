"""The load benchmark (`make bench`, bench/README.md)."""
