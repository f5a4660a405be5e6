"""One ``@ft.component`` per module, named like what it draws (``household_row`` →
``HouseholdRow``). Components get services and state from context, never by import.

``Component(..., key=...)`` is what Flet's ``@ft.component`` wrapper accepts at run time
(it pops ``key``), but its type hints do not say so: hence ``type: ignore[call-arg]``."""
