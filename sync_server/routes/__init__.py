"""The HTTP API, one router per area; sync_server.app includes them all."""
