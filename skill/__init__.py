"""A hands-free Alexa skill for a daily seated foot-exercise routine.

Importing this package needs no AWS region, credentials or network: clients are
built lazily by the modules that use them.
"""
