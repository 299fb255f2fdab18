"""Live timing over the network: RMonitor scoreboard client and server, and capture replay.

Import from the modules: `parcferme.live.rmonitor_client` (listen), `parcferme.live.rmonitor_server`
(RMonitorServer, LivePublisher) and `parcferme.live.replay` (replay). Everything here is asyncio and binds
only where it is told to; the classification itself stays in the pure engine (`parcferme.engine.live`).
"""
