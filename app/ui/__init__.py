"""The caller app's screens (Flet, declarative): state in observables, one component per
file, services handed down through context. ``main.py`` wires; ``web.py`` serves it."""
