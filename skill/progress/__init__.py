"""The practice domain: what is recorded (records), what it adds up to (practice),
and the small figures a session carries (session_figures). Pure: no I/O."""
