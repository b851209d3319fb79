"""The conversation: what each thing a person says does, and what the skill answers.

Pure of the ASK SDK: hosts hand in the session state, the day, and a keeper
that saves progress; they get back a Reply.
"""
