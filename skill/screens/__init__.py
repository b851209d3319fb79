"""Screens for Echo Show and other APL devices: the step screen and the week.

The documents are data (documents/*.json, validated offline by the tests); the
datasources are pure functions of what the voice says (datasources.py); device.py
says whether a request's device can show them; choose.py picks the screen for a
reply; touch.py maps a touch to the utterance it stands for. docs/screens.md
describes each screen and how to change one.
"""
