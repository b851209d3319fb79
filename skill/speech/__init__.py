"""Turning routine steps and locale copy into speech: SSML, text and timing."""
