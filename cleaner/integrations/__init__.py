"""cleaner inside other pipelines' frameworks; each module needs its framework's extra (`cleaner[datatrove]`)."""
