"""The daily reminder, as pure data: the time a person asked for, whether it needs
confirming, and the reminder Alexa should keep (skill.alexa.reminders sends it)."""
