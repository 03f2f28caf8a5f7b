"""The source sync: each source system's figures brought into the local store as revisions."""
