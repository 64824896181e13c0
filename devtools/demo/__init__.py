"""The demo union as data (fixture files) and the loader that writes it through the services."""
