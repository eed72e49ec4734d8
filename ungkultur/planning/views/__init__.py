"""Planning pages, one module per area."""
