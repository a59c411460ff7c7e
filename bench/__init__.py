"""Calmroom's benchmark: real rooms played through the contract, measured side
by side with the framework's own floor in the same run.

    python -m bench --rooms 300 --seconds 60 --out result.json

Modules:

- ``bench.__main__``  the command: starts the servers, runs the load
  generator against the floor and against Calmroom, checks acked = stored,
  prints a table and writes JSON.
- ``bench.loadgen``   the load generator (python-socketio AsyncClient over
  websocket), one separate process per run.
- ``bench.bigroom``   ``--room-size N``: one room of N observers beside the
  floor; ``bench.bigroom_gen`` is its load generator.
- ``bench.floor``     the floor: a minimal Flask-SocketIO app on eventlet with
  a room-broadcast-with-ack event and nothing else.
- ``bench.procs``     starting, watching and stopping server processes.
- ``bench.stats``     percentiles and the /proc readings.
- ``bench.verify``    reads the database after a run: every acked mark stored
  exactly once.
- ``bench.report``    the table.
"""
