"""areagraph: a GraphQL data-integration gateway for the Ministry of Interior.

The layer folders at the top of the repository (api, schema, resolvers, domain, auth,
connectors, core, migrations) are this package's subpackages: here as links, installed as one
`areagraph` package, so nothing generic lands in site-packages.
"""
