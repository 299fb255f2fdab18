"""Live timing over the network: feed clients and servers, and capture replay.

Import from the modules: `parcferme.live.rmonitor_client` (listen), `parcferme.live.rmonitor_server`
(RMonitorServer, LivePublisher), `parcferme.live.replay` (replay) for Orbits RMonitor; `p3_client` and
`p3_simulator` for MYLAPS P3 decoders. Everything here is asyncio and binds only where it is told to; the
classification itself stays in the pure engine (`parcferme.engine.live`).
"""
