## Le portail : ce que disent ses pages.

portal-product = Rempart
portal-skip = Aller au contenu
portal-language-name = Français
portal-logout = Se déconnecter
portal-role-msp-admin = administrateur infogérant
portal-role-msp-operator = technicien infogérant
portal-role-client-admin = administrateur client
portal-role-client-viewer = client, en lecture seule
portal-form-expired = Ce formulaire a expiré ou ne vient pas de ce site ; veuillez réessayer.

## Connexion

portal-login-title = Connexion
portal-login-heading = Se connecter à Rempart
portal-login-intro = La continuité de votre activité : sauvegardes, exercices et supervision, mesurés.
portal-login-email = E-mail
portal-login-password = Mot de passe
portal-login-submit = Se connecter
portal-login-refused = E-mail ou mot de passe incorrect.
portal-login-locked = Trop d'échecs : ce compte est verrouillé pour { $minutes ->
    [one] encore une minute
   *[other] encore {$minutes} minutes
}. Demandez à votre administrateur de réinitialiser votre mot de passe si vous l'avez oublié.
portal-login-throttled = Trop d'échecs depuis votre adresse : réessayez dans { $minutes ->
    [one] une minute
   *[other] {$minutes} minutes
}.
portal-login-unavailable = Le serveur ne peut pas vérifier les connexions pour l'instant ; réessayez dans un moment.

## Vue d'ensemble

portal-overview-title = Vue d'ensemble
portal-overview-heading = Clients, les plus urgents d'abord
portal-overview-empty = Aucun client pour l'instant.
portal-col-client = Client
portal-col-status = État
portal-col-processes = Processus
portal-col-alerts = Alertes
portal-col-freshness = Dernier point de restauration
portal-col-last-drill = Dernier exercice
portal-status-monitor-down = sonde en panne
portal-monitors-down = {$down} en panne sur {$total}
portal-alerts-none = aucune
portal-alerts-count = {$unacked} à acquitter, { $acked ->
    [one] 1 acquittée
   *[other] {$acked} acquittées
}
portal-freshness = âgé de {$age}, RPO {$target}
portal-freshness-none = aucun point de restauration
portal-drill-never = jamais exercé
portal-drill-passed = réussi {$ago}
portal-drill-failed = échoué {$ago}
portal-tenant-no-plan = pas encore de plan
portal-tenant-no-process = aucun processus dans le plan
portal-tenant-unreadable = illisible pour l'instant
portal-process-counts = { $total ->
    [one] 1 processus
   *[other] {$total} processus
} : { $breached ->
    [one] {$breached} dépassé
   *[other] {$breached} dépassés
}, { $untested ->
    [one] {$untested} non testé
   *[other] {$untested} non testés
}, {$at_risk} à risque

## Introuvable

portal-not-found = Page introuvable
portal-not-found-text = Cette page n'existe pas, ou votre compte n'y donne pas accès.
portal-back-overview = Retour à la vue d'ensemble

## Le tableau de bord d'un client

portal-milliseconds = {$ms} ms
portal-seconds = {$seconds} s
portal-hours = {$hours} h
portal-days = {$days} j
portal-minutes = {$minutes} min
portal-hours-minutes = {$hours} h {$minutes} min
portal-days-hours = {$days} j {$hours} h
portal-just-now = à l'instant
portal-ago = il y a {$duration}
portal-measured-of-target = {$measured} mesuré, cible {$target}
portal-not-measured = pas encore mesuré, cible {$target}
portal-rto = RTO
portal-rpo = RPO
portal-criticality = { $level ->
    [vital] vital
    [essential] essentiel
   *[other] secondaire
}
portal-processes = Processus
portal-backups = Sauvegardes — la règle 3-2-1-1-0
portal-col-backup = Sauvegarde
portal-col-copies = Copies
portal-col-sites = Sites
portal-col-offsite = Hors site
portal-col-immutable = Immuable
portal-col-errors = Erreurs
portal-col-rule = 3-2-1-1-0
portal-rule-holds = respectée
portal-rule-fails = non respectée
portal-yes = oui
portal-no = non
portal-monitors = Sondes
portal-col-monitor = Sonde
portal-col-state = État
portal-col-since = Depuis
portal-col-message = Dernière vérification
portal-up = disponible
portal-down = en panne
portal-unreachable = injoignable
portal-unknown = pas encore vérifiée
portal-alerts = Alertes ouvertes
portal-no-alert = Aucune alerte ouverte.
portal-ack = Acquitter
portal-acked-by = acquittée par {$by} {$ago}

## Le compte d'une personne

portal-account-title = Votre compte
portal-account-who = {$email}, {$role}
portal-account-who-tenant = {$email}, {$role} de {$tenant}
portal-password-heading = Changer votre mot de passe
portal-password-current = Mot de passe actuel
portal-password-new = Nouveau mot de passe
portal-password-again = Nouveau mot de passe, une seconde fois
portal-password-change = Changer le mot de passe
portal-password-min = Au moins {$min} caractères ; quelques mots se retiennent mieux que des symboles.
portal-password-mismatch = Les deux nouveaux mots de passe diffèrent ; rien n'a changé.
portal-password-wrong = Le mot de passe actuel est incorrect ; rien n'a changé.
portal-password-wait = Trop d'échecs : attendez quelques minutes, puis réessayez.
portal-password-changed = Votre mot de passe est changé ; vos autres sessions sont closes.
portal-timezone-heading = Fuseau horaire
portal-timezone-label = Dates et heures affichées à l’heure de
portal-timezone-plan = Le fuseau du plan du client
portal-timezone-save = Enregistrer
portal-timezone-saved = Les dates sont désormais affichées à l’heure de { $zone }.
portal-timezone-plan-saved = Les dates sont désormais affichées dans le fuseau du plan de chaque client.
portal-timezone-unknown = « { $zone } » n’est pas un fuseau horaire connu de Rempart : choisissez-en un dans la liste.
portal-sessions-heading = Vos sessions
portal-session-this = cette session
portal-session-end = Clore
portal-session-seen = Vue pour la dernière fois
portal-session-created = Ouverte
portal-session-address = Adresse
portal-session-agent = Navigateur

## Preuves

portal-evidence-title = Preuves
portal-evidence-intro = Chaque chiffre affiché vient de ces enregistrements : on ne fait qu'y ajouter, chacun est chaîné au précédent par son SHA-256. {$head} enregistrements à ce jour.
portal-evidence-kind-label = Type
portal-evidence-all-kinds = tous les types
portal-evidence-filter = Afficher
portal-evidence-verify = Vérifier la chaîne
portal-evidence-intact = La chaîne est intacte : {$checked} enregistrements vérifiés, jusqu'au n° {$head}.
portal-evidence-broken-at = La chaîne est ROMPUE au n° {$seq} : {$why}
portal-evidence-broken = La chaîne est ROMPUE : {$why}
portal-evidence-empty = Aucun enregistrement ne correspond.
portal-evidence-chain = empreinte précédente → empreinte de cet enregistrement
portal-evidence-kind = { $kind ->
    [backup] sauvegarde
    [copy] copie
    [verify] vérification
    [restore] restauration
    [repair] réparation
    [drill] exercice
    [drill-step] étape d'exercice
    [probe] sonde
    [notification] notification
    [confirmation] confirmation
    [secret] secret
    [audit] audit
    [report] document
   *[other] {$kind}
}
portal-outcome-success = réussi
portal-outcome-failure = échec
portal-col-seq = N°
portal-col-started = Début
portal-col-kind = Type
portal-col-subject = Objet
portal-col-outcome = Résultat
portal-col-duration = Durée
portal-col-what = Ce qu'il dit
portal-newer = Plus récents
portal-older = Plus anciens

## Les pages d'un client

portal-tab-dashboard = Tableau de bord

## Le plan

portal-plan-title = Plan
portal-plan-summary = Version {$version}, acceptée le {$when} depuis {$by}.
portal-plan-saved = La version {$version} est enregistrée et active ; ses tâches la suivent.
portal-plan-file = Ce plan est le fichier {$file} du serveur : modifiez-le là (un rechargement de rempart serve le prend en compte).
portal-plan-read-only = Votre compte peut lire ce plan, pas le modifier.
portal-plan-editor = Le fichier du plan
portal-plan-editor-help = rempart.toml. Il est vérifié comme par « rempart plan check » avant d'être enregistré : rien n'est enregistré tant qu'il a une erreur.
portal-plan-save = Vérifier et enregistrer
portal-plan-findings = { $count ->
    [one] 1 constat : rien n'a été enregistré
   *[other] {$count} constats : rien n'a été enregistré
}
portal-plan-at = ligne {$line}, colonne {$column}
portal-plan-versions = Versions
portal-col-version = Version
portal-col-when = Date
portal-col-by = Source
portal-col-author = Droits
portal-plan-author-msp = infogérant (toutes les fonctions)
portal-plan-author-client = client (règles de confiance)
portal-plan-changes = Modifications
portal-plan-diff = Ce que la version {$version} a changé
portal-plan-no-change = Aucune ligne n'a changé.

## Tâches et exercices

portal-jobs-title = Tâches et exercices
portal-running = En cours
portal-nothing-running = Rien n'est en cours.
portal-job-kind = { $kind ->
    [backup] sauvegarde
    [verify] vérification
    [drill] exercice
    [evidence-audit] audit des preuves
    [adopt] adoption
   *[other] {$kind}
}
portal-job-running = {$kind} {$subject}, démarré(e) {$ago}
portal-job-running-now = en cours
portal-job-on-demand = à la demande
portal-job-never = jamais exécutée
portal-job-succeeded = réussie {$ago}
portal-job-failed = échouée {$ago}
portal-job-queued = La tâche est en file : un serveur la démarre dans un instant.
portal-job-already-running = Cette tâche est déjà en cours ; elle repartira à son horaire.
portal-jobs = Tâches planifiées
portal-col-job = Tâche
portal-col-schedule = Horaire
portal-col-next = Prochaine exécution
portal-col-last = Dernière exécution
portal-run-now = Lancer maintenant
portal-no-job = Aucune tâche : le plan ne planifie encore rien.
portal-drills = Exercices récents
portal-col-scenario = Scénario
portal-col-result = Résultat
portal-drill-result-passed = réussi
portal-drill-result-failed = échoué
portal-drill-now = Exercice « {$scenario} » — exécution {$run}
portal-step-done = fait en {$duration}
portal-step-failed = échoué après {$duration}
portal-step-running = en cours
portal-step-waiting = attend une personne
portal-step-pending = à venir
portal-step-manual-who = {$what} (attendu de {$who})
portal-step-confirm = Confirmer : fait
portal-step-note = Ce qui a été vérifié (facultatif)
portal-step-confirmed = L'étape est confirmée en votre nom ; l'exercice continue.
portal-step-gone = Cette étape ne peut plus être confirmée : l'exercice est passé à la suite ou terminé.

## Graphiques

portal-uptime-heading = Disponibilité — les 90 derniers jours
portal-uptime-label = Disponibilité de {$monitor}, une barre par jour
portal-uptime-day = {$date} : {$percent}
portal-uptime-day-none = {$date} : aucune vérification
portal-uptime-days = du {$from} au {$to} : {$percent} chaque jour
portal-uptime-days-none = du {$from} au {$to} : aucune vérification
portal-uptime-month = ce mois-ci : {$percent}
portal-uptime-month-target = ce mois-ci : {$percent}, cible {$target}
portal-uptime-month-none = aucune vérification ce mois-ci
portal-trend-label = RTO atteint de {$process}, exercice après exercice
portal-trend-target = cible {$target}
portal-trend-point = {$date} : {$rto}

## La page d'état d'un client

portal-status-up = opérationnel
portal-status-down = en panne
portal-status-unreachable = injoignable
portal-status-since = depuis le {$when}
portal-status-all-up = Tous les services sont opérationnels.
portal-status-degraded = Certains services sont injoignables.
portal-status-outage = Certains services sont en panne. Nos équipes sont dessus.
portal-status-unknown = Certains services n'ont pas encore été vérifiés.
portal-status-updated = Mis à jour le {$when}
portal-status-powered = surveillé par Rempart
portal-status-missing = Pas de page d'état ici
portal-status-missing-text = Il n'y a pas de page d'état publique à cette adresse.

## Personnes

portal-users-title = Personnes
portal-users-role = Rôle
portal-users-locked = verrouillé
portal-users-reset = Nouveau mot de passe
portal-users-remove = Retirer
portal-users-add-heading = Ajouter une personne
portal-users-add = Ajouter, avec un nouveau mot de passe
portal-users-handed = Voici le mot de passe, affiché cette seule fois : transmettez-le par un moyen sûr ; la personne pourra le changer dans son compte.
portal-users-removed = {$email} ne peut plus se connecter ; ses sessions sont terminées.
portal-users-link = Personnes

## Fenêtres de maintenance
portal-maintenance-title = Maintenance
portal-maintenance-intro = Pendant une fenêtre de maintenance, les sondes qu’elle couvre ne déclenchent aucune alerte et leurs vérifications sont comptées à part du SLA. Les fenêtres récurrentes s’écrivent dans le plan.
portal-maintenance-none = Aucune fenêtre de maintenance prévue.
portal-maintenance-when = Quand
portal-maintenance-reason = Motif
portal-maintenance-by = Posée par
portal-maintenance-now = en cours
portal-maintenance-remove = Retirer
portal-maintenance-add-heading = Prévoir une fenêtre de maintenance
portal-maintenance-start = Début
portal-maintenance-end = Fin
portal-maintenance-zone = Heures de { $zone }.
portal-maintenance-all = toutes les sondes
portal-maintenance-all-hint = (aucune cochée : toutes les sondes)
portal-maintenance-add = Ajouter la fenêtre
portal-maintenance-added = La fenêtre de maintenance est ajoutée.
portal-maintenance-removed = La fenêtre de maintenance est retirée.
portal-maintenance-bad-time = { $field } : indiquez une date et une heure.
portal-maintenance-end-first = La fin doit venir après le début.
portal-maintenance-over = Cette fenêtre est déjà passée.
portal-maintenance-reason-needed = Indiquez un motif ({ $max } caractères au plus).
portal-maintenance-unknown-monitor = Sonde absente du plan : { $monitors }.

## Clients (locataires de l’infogérant)
portal-tenants-title = Clients
portal-tenants-link = Clients
portal-tenants-id = Identifiant
portal-tenants-name = Nom
portal-tenants-managed = Plan tenu dans
portal-tenants-file = le fichier { $path } du serveur
portal-tenants-api = le portail et l’API
portal-tenants-version = Plan
portal-tenants-no-plan = pas encore de plan
portal-tenants-created = Ajouté
portal-tenants-add-heading = Ajouter un client
portal-tenants-id-hint = Lettres, chiffres, « - », « _ » et « . » ; utilisé dans les adresses, il ne peut plus changer.
portal-tenants-add = Ajouter le client et écrire son plan
portal-tenants-name-needed = Indiquez le nom du client.
portal-tenants-exists = Il existe déjà un client « { $id } ».
portal-tenants-bad-id = « { $id } » ne peut pas servir d’identifiant : { $why }

# Documents et audit
portal-documents-title = Documents
portal-documents-intro = Les documents de continuité, établis à la demande à partir du plan et des preuves : chaque chiffre cite sa preuve, et chaque téléchargement est conservé comme preuve « document » avec son empreinte SHA-256.
portal-documents-docs = Télécharger
portal-documents-about-pra = Comment repartir après un sinistre : la cellule de crise, chaque procédure chronométrée à son dernier exercice, et comment restaurer chaque sauvegarde avec le seul restic.
portal-documents-about-pca = L'analyse d'impact, les dépendances, la redondance et la bascule telles que mesurées, la règle 3-2-1-1-0 par sauvegarde et le registre des risques.
portal-documents-about-sla = Le rapport de service du mois : disponibilité face aux objectifs, interruptions, respect des DMIA et PDMA, exercices, sauvegardes et vérifications.
portal-documents-about-drill = Ce qu'un auditeur demande après un test de restauration : les étapes, durées, empreintes des sorties et le verdict d'un exercice.
portal-documents-about-audit = Le plan et ses preuves confrontés à l'ISO 22301, au NIST SP 800-34, à DORA et à NIS2, avec le registre des risques.
portal-documents-about-crisis = Le rapport post-incident d'une crise : les réponses de la cellule, l'interruption et les données perdues au regard de la DMIA et de la PDMA, les échéances réglementaires, les décisions, les actions correctives et toute la chronologie.
portal-documents-in-english = PDF en anglais
portal-documents-in-french = PDF en français
portal-documents-month = Mois
portal-documents-run = Exercice
portal-documents-no-runs = Aucun exercice n'a encore eu lieu.
portal-documents-audit = Audit de conformité
portal-documents-audit-summary = { $pass } règles conformes, { $fail } non conformes, dont { $high } hautes.
portal-documents-audit-clear = Toutes les règles applicables sont respectées.
portal-documents-regression = régression
portal-documents-passing-note = Seuls les constats non conformes sont listés ici ; le document d'audit les liste tous, avec la correspondance réglementaire.
portal-documents-failed = Le document n'a pas pu être établi ; l'erreur figure dans le journal du serveur.
portal-problem = Un problème est survenu

## Page de crise
portal-crisis-title = Crise
portal-crisis-declare-heading = Déclarer une crise
portal-crisis-declare-intro = La cellule de crise est appelée aussitôt, dans l'ordre du plan ; qui ne répond pas à temps est remplacé par son suppléant. Tout ce qui est fait ici est conservé dans la chaîne de preuves.
portal-crisis-title-label = Ce qui se passe
portal-crisis-severity = Gravité
portal-crisis-severity-level = { $level ->
    [1] 1 — majeure (activité arrêtée)
    [2] 2 — grave (processus vital)
    [3] 3 — limitée (service dégradé)
   *[4] 4 — mineure
}
portal-crisis-processes = Processus à l'arrêt
portal-crisis-scenarios = Scénarios de reprise à suivre
portal-crisis-exercise = Exercice
portal-crisis-no-exercise = Non : une vraie crise
portal-crisis-adhoc = Un exercice non préparé dans le plan
portal-crisis-significant = Incident important (NIS2 art. 23 : échéances de 24 h, 72 h et 1 mois)
portal-crisis-personal = Données personnelles concernées (RGPD art. 33 : 72 h)
portal-crisis-declare = Déclarer la crise
portal-crisis-past = Crises passées
portal-crisis-lasted = close après { $lasted }
portal-crisis-declared = Déclarée le { $at } par { $by } (il y a { $lasted }, preuve n° { $seq })
portal-crisis-clock-submitted = transmise le { $at }
portal-crisis-clock-overdue = en retard de { $late }
portal-crisis-clock-left = reste { $left }
portal-crisis-submitted = Noter comme transmise
portal-crisis-reference = Référence (facultatif)
portal-crisis-start = Commencer
portal-crisis-done = Faite
portal-crisis-skip = Écarter
portal-crisis-run = L'exécuter maintenant
portal-crisis-notes = Note ou décision
portal-crisis-note-label = Note
portal-crisis-decision = C'est une décision
portal-crisis-note-button = Ajouter à la chronologie
portal-crisis-messages = Messages
portal-crisis-send = Envoyer
portal-crisis-action-id = Identifiant court
portal-crisis-action-due = Échéance
portal-crisis-action-add = Ajouter l'action
portal-crisis-action-done = Marquer faite
portal-crisis-timeline = Chronologie
portal-crisis-recovered-label = Un processus fonctionne de nouveau
portal-crisis-recovered = Marquer comme rétabli
portal-crisis-close-heading = Clore la crise
portal-crisis-close-intro = La DMIA atteinte et les données perdues de chaque processus touché sont mesurées à partir des preuves ; le rapport post-incident en est tiré.
portal-crisis-close = Clore la crise
portal-crisis-answer-for = Réponse prise par téléphone pour
portal-crisis-recorded = Inscrit dans la chronologie de la crise.
portal-crisis-audience = { $audience ->
    [staff] Personnel
    [clients] Clients
    [suppliers] Fournisseurs
   *[authorities] Autorités
}
portal-crisis-proposed = Rempart propose une crise : { $process } est à l'arrêt depuis le { $since }, au-delà de la moitié de sa DMIA ({ $rto }). Confirmez en la déclarant ci-dessous.
portal-crisis-proposed-title = { $process } est à l'arrêt
portal-status-updates = Informations sur l'incident
portal-crisis-open-link = ouvrir l'onglet Crise
portal-crisis-inject-heading = Exercice : envoyer un événement à la cellule
portal-crisis-inject = Envoyer l'événement
portal-crisis-report = Rapport post-incident (PDF)
portal-overview-crisis = { $exercise ->
    [yes] EXERCICE
   *[no] CRISE
}
