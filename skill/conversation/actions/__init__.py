"""The dialogue's actions, grouped by what they answer. Each is a plain function
`(turn, heard) -> Reply` declared with `@action(kind)`; the table (table.py) names them."""
