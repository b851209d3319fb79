"""Tools that play Alexa on this machine, for people and tests; the deployed skill never
imports them (the Lambda zip leaves this package out).

- envelopes: Alexa request envelopes in the real format, a session carried between turns.
- utterances: typed words -> the intent and slots Alexa would send, from the model's samples.
- console: `python -m skill chat`, the two above wired to the skill.
"""
