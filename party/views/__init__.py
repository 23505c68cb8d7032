"""Pages of the party app, one module per family: party organizations and coverage
(organizations), regular contacts and the overdue list (contacts), activities and joint meetings
(meetings). Views collect input and call party.services; scoping is `restrict(user, action)` through
core's generic views."""
