"""The `mdskg` command: the data flow from the command line — neo4j → graph init → etl → ask → serve.

The top layer: it drives graph/, etl/ and service/; nothing imports it. `mdskg_cli.main:main` is the
console script (pyproject.toml).
"""
