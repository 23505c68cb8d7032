"""The annual report's party section filled from coverage, and the difference flagged to its reviewer."""
