"""Tools that play Alexa on this machine, for people and tests; the deployed skill never
imports them (the Lambda zip leaves this package out).

- utterances: typed words -> the intent and slots Alexa would send, from the model's samples.
- console: `python -m skill chat`: typed words, matched, sent as real request envelopes
  (skill/alexa/envelopes.py) to the skill, the answer printed.
"""
