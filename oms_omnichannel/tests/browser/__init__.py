"""Real-browser journeys through the desk (headless Chromium, Python playwright).

Run by `.ci/browser` (which `.ci/tier2` calls while the clone is on the bench, where Chromium is
installed): it serves the site on 127.0.0.1, commits the records the journeys start from with
`fixtures.prepare`, runs `journeys.py` with pytest and removes everything with `fixtures.teardown`.
The journey module is not named test_*.py: `bench run-tests` must not import it."""
