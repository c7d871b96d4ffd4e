"""Pattern tables, one module per topic: immutable data the stage modules apply."""
