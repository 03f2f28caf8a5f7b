"""Pure monitoring rules: roll-up arithmetic, performance, the complaint machine, entry checks.

No I/O here: the repositories and resolvers call these, and the tests check them directly.
"""
