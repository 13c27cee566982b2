## Findings of the plan check: what is wrong in a plan, and how to fix it.

finding-error = error
finding-warning = warning
finding-hint = hint: {$hint}
# TRANSITION: a sentence not yet in the catalogue.
plain-text = {$text}
