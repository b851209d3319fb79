"""What the skill remembers about a user: one ProgressStore protocol (base), two backends
(sqlite, dynamodb), and make_store (factory), which picks and builds one from the
configuration. Importing this package imports neither boto3 nor sqlite connections."""
