"""Pattern tables: immutable data the stages and the HTML extractor apply."""
