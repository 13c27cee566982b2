## Constats de la vérification du plan : ce qui ne va pas, et comment le corriger.

finding-error = erreur
finding-warning = avertissement
finding-hint = conseil : {$hint}

## Morceaux de phrases

# Un élément du plan, nommé : processus « erp ».
plan-owner = { $kind ->
    [process] processus
    [asset] actif
    [repository] dépôt
    [backup] sauvegarde
    [monitor] sonde
    [maintenance] maintenance
    [escalation] escalade
    [contact] contact
    [team] équipe
    [scenario] scénario
    [risk] risque
    [channel] canal
    [site] site
    [crisis_task] tâche de crise
    [crisis_message] message de crise
    [exercise] exercice
   *[other] {$kind}
} « {$id} »
plan-kind-a = { $kind ->
    [site] un site
    [asset] un actif
    [process] un processus
    [repository] un dépôt
    [backup] une sauvegarde
    [monitor] une sonde
    [scenario] un scénario
    [contact] un contact
    [team] une équipe
    [channel] un canal
    [escalation] une escalade
    [crisis_task] une tâche de crise
    [crisis_message] un message de crise
    [exercise] un exercice
   *[other] {$kind}
}
plan-kinds-or = {$init} ou {$last}
plan-kinds-and = {$init} et {$last}
plan-what = { $what ->
    [organization-name] le nom de l'organisation
    [process-name] le nom d'un processus
    [path] un chemin
    [command] la commande
    [host] le nom d'hôte
    [tag] une étiquette
    [target] la cible
    [step-name] le nom d'une étape
    [query] la requête
    [address] l'adresse
    [duration] la durée
    [title] le titre
    [subject] l'objet
    [text] le texte
   *[other] {$what}
}
plan-status-page = la page d'état
plan-status-page-no-title = La page d'état n'a pas de titre : ceux qui l'ouvrent ne sauraient pas de qui elle est.
plan-status-page-empty = La page d'état ne liste aucune sonde : elle n'afficherait rien.
plan-sla-target = une cible de SLA
plan-sla-report = le rapport de SLA mensuel
plan-runs-every = passe toutes les {$every}
plan-runs-cron = (« {$cron} ») laisse jusqu'à {$gap} entre deux passages
plan-hint-example = par exemple {$example}
plan-did-you-mean = vouliez-vous dire « {$word} » ?

## Références et identifiants

plan-duplicate-id = identifiant « {$id} » en double dans [[{$section}]] : {$section}[{$first}] le porte déjà
plan-duplicate-risk-id = identifiant de risque « {$id} » en double
plan-hint-unique-ids = un identifiant est unique dans sa section ; renommez l'un des deux
plan-dangling-reference = {$owner} fait référence à « {$id} », qui n'est pas {$kinds} de ce plan
plan-hint-declare = déclarez-le dans une section [[{$section}]]
plan-hint-known = connus : {$list}
plan-ambiguous-reference = {$owner} fait référence à « {$id} », qui est à la fois {$kinds}
plan-hint-different-ids = donnez-leur des identifiants différents
plan-repeated-reference = {$owner} cite « {$id} » deux fois
plan-hint-remove-repetition = retirez la répétition
plan-cycle = cycle { $kind ->
    [monitor] de sondes
   *[other] de dépendances
} : {$names}
plan-hint-cycle = rompez le cycle : un élément doit pouvoir démarrer en premier

## Valeurs

plan-empty = {$what} ne peut pas être vide
plan-zero-duration = {$what} ne peut pas valoir 0s
plan-hint-positive-duration = donnez une durée positive, par exemple « 30s »
plan-bad-url = {$what} « {$url} » n'est pas une URL http:// ou https://
plan-score-out-of-range = {$owner} : {$what} = {$value}, hors de l'échelle 1..5
plan-hint-score = {$what} va de 1 (le plus bas) à 5 (le plus haut)
plan-bad-timezone = « {$tz} » n'est pas un fuseau horaire connu
plan-hint-timezone = utilisez un nom de fuseau horaire IANA, par exemple « Europe/Paris »

## Processus

plan-rto-above-mtpd = {$owner} : rto = {$rto} mais mtpd = {$mtpd} — le RTO doit être inférieur à la MTPD
plan-hint-rto-above-mtpd = ramenez le rto à {$mtpd} ou moins, ou relevez la mtpd
plan-impacts-out-of-order = {$owner} : les impacts ne sont pas dans l'ordre croissant de `after`
plan-hint-impacts-order = listez les impacts de l'interruption la plus courte à la plus longue
plan-rpo-unreachable = {$owner} : rpo = {$rpo} mais la sauvegarde « {$backup} » de l'actif « {$asset} » {$how} : les données écrites entre deux passages pourraient être perdues
plan-hint-rpo-unreachable = sauvegardez « {$asset} » au moins toutes les {$rpo}, ou relevez le rpo à {$gap}
plan-vital-without-owner = le processus vital « {$id} » n'a pas de responsable (owner)
plan-hint-vital-owner = ajoutez owner = "<id d'un contact>" : quelqu'un doit en répondre en cas de crise
plan-vital-without-backup = le processus vital « {$id} » n'a aucune sauvegarde qui protège les actifs dont il dépend
plan-hint-vital-depends-on = listez dans depends_on les actifs dont il a besoin, et ajoutez une [[backup]] qui les protège
plan-hint-vital-backup = ajoutez une [[backup]] dont protects cite l'un de : {$list}
plan-vital-without-scenario = le processus vital « {$id} » n'a pas de scénario de reprise
plan-hint-vital-scenario = ajoutez un [[scenario]] avec process = "{$id}", pour que sa reprise soit exercée et mesurée

## Dépôts et sauvegardes

plan-verify-within-too-short = {$owner} : verify_within = "{$within}" est plus court qu'un jour ; les données sont relues par tranche d'un jour
plan-hint-verify-within = comptez en jours entiers : verify_within = "1d" relit tout chaque jour
plan-s3-option-on-local = {$owner} est un dossier local ; `{$key}` ne vaut que pour les emplacements s3://
plan-hint-s3-option = retirez `{$key}`, ou écrivez location = "s3://bucket/prefix"
plan-immutable-unenforced = {$owner} est un dossier local : Rempart ne peut pas vérifier qu'il est immuable
plan-hint-immutable = ne comptez sur une copie immuable que là où le stockage l'impose (S3 Object Lock, WORM)
plan-incomplete-credentials = {$owner} : un seul de access_key_id et secret_access_key est donné
plan-hint-credentials = donnez les deux, ou aucun pour utiliser AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY de l'environnement
plan-unused-repository = {$owner} n'est la cible d'aucune sauvegarde
plan-hint-unused-repository = ajoutez-le aux targets d'une sauvegarde, ou retirez-le
plan-protects-nothing = {$owner} ne protège aucun actif : elle ne compte pour le RPO d'aucun processus
plan-hint-protects = ajoutez protects = ["<id d'un actif>"]
plan-no-path = {$owner} n'a aucun chemin à sauvegarder
plan-bad-filename = {$owner} : filename doit être un simple nom de fichier
plan-no-target = {$owner} n'a aucun dépôt cible
plan-hint-no-target = listez des identifiants de dépôts ; le premier porte la copie principale
plan-single-site = toutes les copies de {$owner} sont sur le site « {$site} » : pas de 3-2-1, un seul incident là-bas les perd toutes
plan-hint-single-site = ajoutez un dépôt cible sur un autre site, idéalement hors site et immuable
plan-empty-retention = {$owner} : la rétention ne garde rien
plan-hint-retention = dites quoi garder, par exemple retention = {"{"} daily = 7, weekly = 4, monthly = 12 {"}"}, ou retirez-la pour tout garder

## Sondes

plan-heartbeat-target = {$owner} est un heartbeat : c'est la tâche qui appelle Rempart, il n'y a pas de cible
plan-hint-heartbeat-target = retirez `target` ; donnez `period` et `grace`
plan-needs-target = {$owner}, de type {$kind}, a besoin d'une `target`
plan-hint-target-backup = target = "<id de la sauvegarde>"
plan-hint-target-command = target = "<commande shell>"
plan-watches-no-backup = {$owner} surveille « {$target} », qui n'est pas un identifiant de sauvegarde
plan-bad-target = {$owner} : la cible « {$target} » n'est pas de la forme hôte:port
plan-heartbeat-period = {$owner} est un heartbeat et a besoin d'une `period` : quand la tâche doit appeler
plan-hint-heartbeat-period = par exemple period = "every 1d" ou "0 2 * * *", grace = "1h"
plan-heartbeat-interval = {$owner} est un heartbeat : il a une `period`, pas un `interval`
plan-hint-heartbeat-interval = renommez `interval` en `period`
plan-heartbeat-only = `{$key}` ne vaut que pour les sondes heartbeat
plan-needs-interval = {$owner} a besoin d'un `interval` : à quelle fréquence vérifier
plan-ca-only = `ca` ne vaut que pour les sondes tls et http, et {$owner} est de type {$kind}
plan-http-only = `{$key}` ne vaut que pour les sondes http, et {$owner} est de type {$kind}
plan-ca-unused = {$owner} ne vérifie pas les certificats (tls_verify = false) : sa `ca` ne sert jamais
plan-bad-pattern = {$owner} : `expect.body_matches` n'est pas une expression régulière : {$why}
plan-bad-json-path = {$why}
plan-zero-count = {$owner} : `{$key}` ne peut pas valoir 0
plan-hint-zero-count = comptez les vérifications consécutives à partir de 1 (1 = dès la première)
plan-hint-no-expect = une sonde {$kind} ne prend pas d'`expect`
plan-hint-expect-keys = une sonde {$kind} vérifie : {$list}
plan-expect-not-applicable = `expect.{$key}` ne s'applique pas à {$owner}, de type {$kind}
plan-no-default-escalation = la sonde « {$id} » ne nomme aucune escalade et aucune escalade n'a l'id "default" : ses alertes n'atteindraient personne
plan-hint-default-escalation = ajoutez une [[escalation]] avec id = "default"

## Canaux, maintenances, escalades, personnes, scénarios, SLA

plan-no-recipient = le canal e-mail « {$id} » n'a aucun destinataire
plan-bad-email = « {$address} » n'est pas une adresse e-mail
plan-bad-time = {$owner} : {$key} « {$text} » n'est pas une heure RFC 3339
plan-empty-window = {$owner} finit avant de commencer
plan-maintenance-every = {$owner} revient selon « {$schedule} », qui dit à quelle fréquence mais pas quand
plan-hint-maintenance-cron = donnez un motif cron, par exemple « 0 22 * * 2 » pour le mardi à 22 h
plan-maintenance-when = {$owner} a besoin soit de `start` et `end` (ponctuelle), soit de `schedule` et `duration` (récurrente)
plan-no-step = {$owner} n'a aucune étape
plan-step-notifies-nobody = l'étape {$step} de {$owner} ne prévient personne
plan-escalation-out-of-order = l'étape {$step} de {$owner} vient avant l'étape au-dessus d'elle
plan-hint-escalation-order = listez les étapes dans l'ordre croissant de `after`
plan-own-alternate = {$owner} est son propre suppléant
plan-unreachable-contact = {$owner} n'a ni téléphone ni e-mail : personne ne pourra le joindre en cas de crise
plan-hint-reach-contact = ajoutez phone = "+33 …" ou email = "…"
plan-no-member = {$owner} n'a aucun membre
plan-no-copy-at-site = la sauvegarde « {$backup} » n'a aucun dépôt cible sur le site « {$site} » : il n'y a rien à restaurer depuis là-bas
plan-hint-copy-at-site = choisissez un site qui porte l'un des dépôts cibles de la sauvegarde
plan-two-sla-targets = la sonde « {$monitor} » a deux cibles de SLA
plan-report-to-no-email = le contact « {$contact} » doit recevoir le rapport de SLA mensuel par e-mail, mais n'a pas d'adresse e-mail
plan-hint-contact-email = ajoutez email = "…" au contact « {$contact} »
plan-uptime-out-of-range = uptime = {$uptime} n'est pas un pourcentage supérieur à 0 et d'au plus 100
plan-crisis-cell = la cellule de crise
plan-crisis-role-without-alternate = {$owner} tient un rôle dans la cellule de crise mais n'a pas de suppléant : s'il est injoignable, personne ne prend sa place
plan-hint-crisis-alternate = ajoutez alternates = ["…"] avec l'identifiant d'un autre contact
plan-crisis-message-to-nobody = {$owner} n'est adressé à personne
plan-crisis-unknown-placeholder = {$owner} utilise {$placeholder}, que Rempart ne sait pas remplir
plan-hint-crisis-placeholders = les champs remplis sont {$list}
