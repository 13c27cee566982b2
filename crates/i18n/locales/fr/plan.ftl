## Constats de la vérification du plan : ce qui ne va pas, et comment le corriger.

finding-error = erreur
finding-warning = avertissement
finding-hint = conseil : {$hint}
# TRANSITION: a sentence not yet in the catalogue.
plain-text = {$text}
