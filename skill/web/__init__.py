"""The self-hosted web endpoint: Flask app (`app`), Alexa request verification (`verify`),
and `python -m skill serve` (`serve`). Flask is imported only by `app` and `serve`."""
