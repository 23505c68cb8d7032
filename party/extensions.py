"""What the registry's organization pages show of party building (registry.extensions)."""
