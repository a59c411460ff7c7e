"""sockets layer."""
