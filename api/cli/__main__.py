"""`python -m areagraph.api.cli`: the `areagraph` command."""

from areagraph.api.cli.main import main

main()
