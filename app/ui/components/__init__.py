"""One ``@ft.component`` per module, named like what it draws (``household_row`` →
``HouseholdRow``). Components get services and state from context, never by import."""
