"""One component per file, named like the thing it draws."""
