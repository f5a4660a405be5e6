"""The Phonebank sync server: HTTP API, supervisor console and the built PWA, over SQLite."""
