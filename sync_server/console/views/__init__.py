"""The console's screens: each reads through the console's services and draws components."""
