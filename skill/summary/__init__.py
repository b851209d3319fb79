"""The weekly summary card for the Alexa app (adherence figures only)."""
