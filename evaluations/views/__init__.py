"""The evaluations app's pages, one module per part."""
