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
said-probe-exit-unexpected = code de sortie { $code } (attendu : { $want }) en { $ms } ms
said-retention = { $backup } : rétention sur { $repository } ({ $site }) : { $kept ->
    [one] { $kept } instantané gardé
   *[other] { $kept } instantanés gardés
}, { $forgotten ->
    [one] { $forgotten } oublié
   *[other] { $forgotten } oubliés
}
said-retention-not-applied = { $backup } : rétention non appliquée : { $why }
said-probe-http = GET { $url } : statut { $status } en { $ms } ms
said-probe-tcp = { $address } accepte les connexions ({ $ms } ms)
said-probe-tls = { $address } : certificat valide, expire dans { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}
said-probe-dns = { $name } { $rtype } { $values } en { $ms } ms
said-probe-icmp = { $host } ({ $ip }) : aller-retour moyen { $mean } ms, { $loss } % de perte
said-probe-backup = le point de restauration le plus récent de « { $backup } » a { $age }
said-heartbeat-failed = la tâche a signalé un échec (code de sortie { $exit }) le { $at }
said-heartbeat-failed-output = la tâche a signalé un échec (code de sortie { $exit }) le { $at } ; sa sortie se termine par :{ $output }
said-heartbeat-hung = la tâche a commencé le { $at } et n'a pas fini dans le délai de { $grace }
said-heartbeat-late = aucun ping depuis le { $last } (attendu avant le { $expected }, délai { $grace })
said-heartbeat-never = jamais appelée (attendue avant le { $expected }, délai { $grace })
said-heartbeat-last = dernier ping le { $at }
said-heartbeat-waiting = en attente du premier ping
said-step-sql = base { $database } : { $value }
said-step-up-after = disponible après { $polls ->
    [one] { $polls } essai
   *[other] { $polls } essais
} : { $seen }
said-step-down-after = indisponible après { $polls ->
    [one] { $polls } essai
   *[other] { $polls } essais
} : { $seen }
said-step-confirmed = confirmé par { $by }
said-step-confirmed-note = confirmé par { $by } : { $note }
said-step-queued = en file pour { $receivers }
evidence-alert-acked = alerte {$alert} ({$monitor}) acquittée par {$by} ({$via})
said-notification-delivered = « { $subject } » remis à { $to } en { $attempts ->
    [one] { $attempts } tentative
   *[other] { $attempts } tentatives
}
said-notification-given-up = « { $subject } » non remis à { $to } (abandonné après { $attempts ->
    [one] { $attempts } tentative
   *[other] { $attempts } tentatives
}) : { $why }
