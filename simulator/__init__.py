"""Local stand-in for the clouds the integration talks to (Kraken GraphQL, later Enode, Easee).

Start it in-process with `simulator.app.start_simulator()` or from a shell with
`python -m simulator --port 8765`.
"""
