"""The caller app's screens (Flet, declarative): state in observables, one component per
file, services handed down through context. ``main.py`` wires; ``served_app.py`` serves
it from the sync server (Python on the server), ``pyodide_app.py`` starts it in the
browser under Pyodide (the offline PWA)."""
