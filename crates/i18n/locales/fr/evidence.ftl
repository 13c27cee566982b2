# Ce que disent les preuves, en français : gardé avec chaque preuve sous
# forme de clé et de variables (measurements.say), dit dans la langue du
# lecteur.

said-backup-snapshot = instantané { $snapshot } sur { $repository } ({ $site })
said-drill-passed = réussi : reprise en { $rto }
said-drill-passed-rpo = réussi : reprise en { $rto }, données restaurées vieilles de { $rpo }
said-step-restored = instantané { $snapshot } de « { $backup } » restauré depuis { $repository } ({ $site }) : { $files ->
    [one] { $files } fichier
   *[other] { $files } fichiers
}, { $bytes ->
    [one] { $bytes } octet
   *[other] { $bytes } octets
}
said-step-exit = code de sortie { $code }
said-probe-exit = code de sortie { $code } en { $ms } ms
said-retention = { $backup } : rétention sur { $repository } ({ $site }) : { $kept ->
    [one] { $kept } instantané gardé
   *[other] { $kept } instantanés gardés
}, { $forgotten ->
    [one] { $forgotten } oublié
   *[other] { $forgotten } oubliés
}
said-retention-not-applied = { $backup } : rétention non appliquée : { $why }
