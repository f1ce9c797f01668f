"""Settings split by purpose: base (shared), dev, test and production.

Every value that differs between machines comes from an environment variable;
`.env.example` at the project root lists them all.
"""
