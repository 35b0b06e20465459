"""The claimwatch command and the local stack: the broker and the services as processes, for make run and the tests."""
