"""Whole screens: join, my list, a call, follow-ups, stats, settings, and the shell around them."""
