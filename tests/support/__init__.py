"""What the tests (and the benches) build with: one home for builders, seeders and the
server-process helper. Support code only: no test and no fixture lives here.

- ``server``: the real server in a subprocess (``ServerProcess``), ``phonebank`` CLI runs
- ``server_rows``: campaigns, households, devices, outcomes written straight to the server DB
- ``phone_bank``: the supervisor's login, invites, joined devices, ``PhoneBank``
- ``families``: the demo campaign with eight known families (``seed_bank``)
- ``events``: outcome events for push, and as a device records them
- ``device_api``: push and pull through a test client, as a joined device does
- ``faulty_transport``: an httpx transport that loses requests and answers
- ``console``: the console's service signed in over a seeded database
- ``browser``, ``running_banks``: Chromium, Flet pages, seeded servers for browser tests
- ``tls``: a self-signed certificate
"""
