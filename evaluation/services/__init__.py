"""The evaluation app's writes: each service checks its rule, runs in a transaction and leaves an
audit record; Chinese messages name the field."""
