"""The ASK SDK skill: the only package that imports ask_sdk_*."""
