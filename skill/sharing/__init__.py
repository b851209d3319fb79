"""Care partners: a relative follows a person's adherence, with the person's consent, and
sends encouragement that is read to the person at their next launch.

- codes.py    the one-time sharing code: drawn, hashed, heard back
- records.py  what is kept (links, messages, notices, wrong-code times) and the pure rules
              (lock-out, message and name cleaning)
- store.py    the SharingStore protocol; skill/store/sharing_sqlite.py and
              sharing_dynamodb.py implement it beside the progress stores
- talk.py     what each sharing utterance does and says (no ASK SDK)

Adherence only ever leaves the person: days done, this week's days, the streak, the last
day done. Never symptoms, safety stops, settings or the place in the routine.
"""
