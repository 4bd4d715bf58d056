"""Build: plan, embed and write a new generation of the index, crash-safe."""
