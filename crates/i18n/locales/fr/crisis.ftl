## Mode crise : ce que disent les preuves d'une crise, les appels et les rappels envoyés.

# Une échéance réglementaire.
crisis-clock = { $clock ->
    [nis2-early-warning] alerte précoce NIS2 (24 h)
    [nis2-notification] notification d'incident NIS2 (72 h)
    [nis2-final-report] rapport final NIS2 (1 mois)
   *[gdpr] notification de violation RGPD (72 h)
}

## Preuves
said-crisis-declared = crise déclarée : { $title } (gravité { $severity })
said-crisis-exercise = exercice lancé : { $title }
said-crisis-joined = une nouvelle déclaration a rejoint la crise ouverte : { $title }
said-crisis-called = { $contact } appelé
said-crisis-called-instead = { $contact } appelé à la place de { $role }
said-crisis-answered = { $available ->
    [yes] { $contact } prend son poste
   *[no] { $contact } ne peut pas participer
}
said-crisis-passed-over = { $contact } n'a pas répondu ou ne peut pas : { $to } est appelé à sa place
said-crisis-role-missing = plus personne à appeler pour le rôle de { $role }
said-crisis-task = tâche « { $task } » : { $state ->
    [todo] à faire
    [started] commencée
    [done] faite
   *[skipped] écartée
}
said-crisis-step-run = { $passed ->
    [yes] « { $task } » exécutée par Rempart : réussie en { $duration }
   *[no] « { $task } » exécutée par Rempart : échec après { $duration }
}
said-crisis-note = { $decision ->
    [yes] décision : { $text }
   *[no] note : { $text }
}
said-crisis-sent = message « { $subject } » envoyé à { $receivers }
said-crisis-submitted = { $clock ->
    [nis2-early-warning] alerte précoce NIS2
    [nis2-notification] notification d'incident NIS2
    [nis2-final-report] rapport final NIS2
   *[gdpr] notification de violation RGPD
} transmise { $reference }
said-crisis-reminded = rappel { $level } envoyé : { $clock ->
    [nis2-early-warning] alerte précoce NIS2
    [nis2-notification] notification d'incident NIS2
    [nis2-final-report] rapport final NIS2
   *[gdpr] notification de violation RGPD
} pas encore transmise
said-crisis-injected = événement d'exercice : { $text }
said-crisis-recovered = { $process } fonctionne de nouveau
said-crisis-action = action corrective : { $title }
said-crisis-action-done = action corrective { $action } terminée
said-crisis-closed = crise close après { $lasted }

## Messages
crisis-status-open = en cours
crisis-status-closed = terminée
crisis-call-subject = [CRISE] { $organization } : { $title }
crisis-call-text = Une crise a été déclarée le { $declared } (gravité { $severity }) : { $title }.
    Vous êtes appelé dans la cellule de crise comme { $role }.
    Ouvrez le lien ci-dessous pour répondre : vous prenez votre poste, ou vous ne pouvez pas (votre suppléant est alors appelé).
crisis-call-instead = { $other } n'a pas répondu ou ne peut pas : vous êtes appelé à sa place.
crisis-reminder-subject = [CRISE] { $clock } — { $title }
crisis-reminder-text = { $clock } n'a pas encore été transmise. Échéance : { $deadline } (reste { $left }). Enregistrez la transmission dans Rempart une fois faite.
crisis-overdue-text = { $clock } est en retard : l'échéance était le { $deadline }. Transmettez-la maintenant et enregistrez-la dans Rempart.
crisis-inject-subject = [CRISE] { $title } : nouvel événement

## Ligne de commande
crisis-cli-declared = Crise { $id } déclarée : { $roles } rôles de la cellule de crise sont appelés (rempart serve envoie les appels).
crisis-cli-joined = Une crise est déjà ouverte ({ $id }) : cette déclaration l'a rejointe.
crisis-cli-sent = Message mis en file pour { $receivers }.
crisis-cli-closed = Crise { $id } close après { $lasted }.
crisis-cli-recorded = Enregistré (preuve n° { $seq }).
crisis-cli-ran = Tâche { $task } exécutée pour de vrai : réussie en { $duration } (preuve n° { $seq }). { $said }
crisis-cli-ran-failed = Tâche { $task } exécutée pour de vrai : échec après { $duration } (preuve n° { $seq }). { $said }
crisis-cli-heading = { $exercise ->
    [yes] EXERCICE
   *[no] CRISE
} { $id } — { $title } (gravité { $severity })
crisis-cli-declared-at = Déclarée le { $at } par { $by } (preuve n° { $seq })
crisis-cli-cell = Cellule de crise
crisis-cli-clocks = Échéances réglementaires
crisis-cli-checklist = Liste des tâches
crisis-cli-actions = Actions correctives
crisis-cli-outcome = Bilan mesuré
crisis-cli-none-ever = Aucune crise n'a jamais été déclarée pour ce client.
crisis-col-role = Rôle
crisis-col-holder = Qui
crisis-col-state = État
crisis-col-task = Tâche
crisis-col-title = Intitulé
crisis-col-owner = Responsable
crisis-col-time = Heure
crisis-col-what = Quoi
crisis-col-crisis = Crise
crisis-role-state = { $state ->
    [waiting] appelé, pas encore de réponse
    [on-it] à son poste
    [cannot] indisponible, suppléant appelé
    [missing] personne de joint
   *[not-called] pas encore appelé
}
crisis-task-state = { $state ->
    [started] commencée
    [done] faite
    [skipped] écartée
   *[todo] à faire
}
crisis-task-ran = { $passed ->
    [yes] exécutée : réussie en { $duration } (preuve n° { $seq })
   *[no] exécutée : échec après { $duration } (preuve n° { $seq })
}
crisis-clock-submitted = { $clock } : transmise le { $at }
crisis-clock-overdue = { $clock } : EN RETARD depuis le { $deadline }
crisis-clock-due = { $clock } : avant le { $deadline } (reste { $left })
crisis-action-open = à faire
crisis-action-done = faite le { $at }
crisis-closed-at = close le { $at }
crisis-rto = { $process } : rétabli après { $rto } (DMIA cible { $target } ; panne depuis la preuve n° { $seq })
crisis-rpo = données perdues : { $rpo } (PDMA cible { $target } ; preuve de restauration n° { $seq })
crisis-rpo-not-measured = données perdues : non mesuré (rien n'a été restauré par Rempart)

## La page du lien de réponse
answer-title = Cellule de crise : votre réponse
answer-unknown-link = Ce lien de réponse est inconnu ou altéré.
answer-expired = Ce lien a expiré le { $when }. Répondez depuis un message plus récent, ou appelez le responsable de la cellule de crise.
answer-state-closed = la crise est terminée ({ $when })
answer-fact-organization = Organisation
answer-fact-crisis = Crise
answer-fact-declared = Déclarée le
answer-fact-you = Vous
answer-fact-state = Votre réponse
answer-yes = Je prends mon poste
answer-no = Je ne peux pas
answer-explained = Votre réponse est inscrite dans la chronologie de la crise. Si vous ne pouvez pas, votre suppléant est appelé aussitôt.
answer-pick = Choisissez l'un des deux boutons.
answer-done-yes = Merci : vous êtes inscrit à votre poste. La cellule de crise compte sur vous.
answer-done-no = C'est noté : votre suppléant est appelé en ce moment.
crisis-proposal-subject = [CRISE ?] { $organization } : { $process } est à l'arrêt
crisis-proposal-text = { $process } est à l'arrêt depuis le { $since } (sonde { $monitor }) : la moitié de sa DMIA ({ $rto }) est écoulée. Déclarez une crise pour appeler la cellule de crise, par le lien ci-dessous ou avec rempart crisis declare.
crisis-cli-injected = Événement envoyé à la cellule de crise, marqué comme exercice ; sa réaction est chronométrée.
