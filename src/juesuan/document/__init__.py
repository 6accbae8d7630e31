"""Format-neutral document model and the writers that lay it out."""
