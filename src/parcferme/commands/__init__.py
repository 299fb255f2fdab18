"""What the command line does beyond parsing its arguments: importing sources, following live feeds.

cli.py stays thin (arguments in, text out); the glue that wires readers, writers, the engine and the live
clients together lives here, where it can be tested without a subprocess.
"""
