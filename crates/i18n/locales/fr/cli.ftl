# La ligne de commande de Rempart, en français.
# Chaque message a son jumeau anglais dans ../en/cli.ftl, avec les mêmes
# variables (crates/i18n/tests/catalogue.rs le vérifie).

## Nombres, avec les règles de pluriel du français (0 et 1 au singulier)

count-copies = { $count ->
    [one] { $count } copie
   *[other] { $count } copies
}
count-sites = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
count-errors = { $count ->
    [one] { $count } erreur
   *[other] { $count } erreurs
}
count-warnings = { $count ->
    [one] { $count } avertissement
   *[other] { $count } avertissements
}
count-outages = { $count ->
    [one] { $count } panne
   *[other] { $count } pannes
}
count-checks-in-maintenance = { $count ->
    [one] { $count } contrôle en maintenance
   *[other] { $count } contrôles en maintenance
}
count-records-checked = { $count ->
    [one] { $count } enregistrement vérifié
   *[other] { $count } enregistrements vérifiés
}
count-records-removed = { $count ->
    [one] { $count } enregistrement commencé avant le { $before } supprimé ; la suppression est journalisée et la chaîne reste vérifiable
   *[other] { $count } enregistrements commencés avant le { $before } supprimés ; la suppression est journalisée et la chaîne reste vérifiable
}

## Mots communs à plusieurs commandes

tenant-heading = { $organization } (client « { $tenant } ») — { $what }
time-ago = il y a { $duration }
for-duration = depuis { $duration }
outcome-success = réussi
outcome-failure = ÉCHEC
step-outcome-success = ok
step-outcome-failure = échec

## rempart status

status-title = état mesuré des processus (mesuré/objectif)
status-col-process = PROCESSUS
status-col-criticality = CRITICITÉ
status-col-status = ÉTAT
status-col-rto = DMIA (RTO)
status-col-rpo = PDMA (RPO)
status-col-last-drill = DERNIER EXERCICE
status-last-drill = { $run } { $outcome }, { $ago }
status-no-drill = aucun exercice encore
status-rule-title = règle 3-2-1-1-0 de chaque sauvegarde
status-rule-line = { $copies_ok } { $copies }, { $sites_ok } { $sites }, { $offsite_ok } hors site, { $immutable_ok } immuable, { $errors_ok } { $errors }

## rempart monitors

monitors-title = supervision
monitors-col-monitor = SONDE
monitors-col-kind = TYPE
monitors-col-state = ÉTAT
monitors-col-since = DEPUIS
monitors-col-checked = DERNIER CONTRÔLE
monitor-state-up = en service
monitor-state-down = EN PANNE
monitor-state-unreachable = injoignable
monitor-state-unknown = inconnu
monitor-never-checked = jamais contrôlé
monitor-flapping = instable
monitor-maintenance = maintenance { $window }

## rempart sla

sla-title = SLA { $month } ({ $timezone })
sla-col-monitor = SONDE
sla-col-uptime = DISPONIBILITÉ
sla-col-target = OBJECTIF
sla-col-outages = PANNES
sla-no-check = aucun contrôle
sla-target-met = { $target } % : tenu
sla-target-breached = { $target } % : NON TENU
sla-target = { $target } %
sla-no-target = sans objectif
sla-counts = { $outages }, { $down } d'arrêt, { $maintenance }
sla-days-below = jours sous 100 % : { $days }
sla-outage-down = panne
sla-outage-unreachable = injoignable
sla-outage-ongoing = en cours

## rempart drill

drill-none-yet = aucun exercice n'a encore été exécuté (rempart drill run SCÉNARIO)
drill-col-run = EXERCICE
drill-col-started = DÉBUT
drill-col-outcome = RÉSULTAT
drill-col-rto = DMIA (RTO)
drill-col-rpo = PDMA (RPO)
drill-col-message = MESSAGE
drill-show-heading = exercice { $run } — scénario « { $scenario } » — { $outcome }
drill-show-running = exercice { $run } — scénario « { $scenario } » — en cours (ou arrêté avant sa fin)
drill-col-step = ÉTAPE
drill-col-kind = TYPE
drill-col-duration = DURÉE
drill-step-output = sortie { $bytes } octets, sha256 { $digest }
drill-no-run = aucun exercice « { $run } » (voir rempart drill list)
drill-confirmed = étape { $step } de l'exercice { $run } confirmée par { $by } (preuve n° { $seq })

## rempart evidence

evidence-intact = { $tenant } : intact — { $checked }
evidence-broken = { $tenant } : ROMPU — { $why }
evidence-no-tenant = aucun client dans la base
evidence-pruned = { $tenant } : { $removed }
evidence-tenant = client « { $tenant } »
evidence-none = aucune preuve ne correspond
evidence-col-seq = n°
evidence-col-started = DÉBUT
evidence-col-kind = TYPE
evidence-col-subject = OBJET
evidence-col-outcome = RÉSULTAT
evidence-col-duration = DURÉE
evidence-col-message = MESSAGE

## rempart plan check

plan-summary-valid = { $file } : { $errors }, { $warnings } — le plan est valide
plan-summary-invalid = { $file } : { $errors }, { $warnings } — le plan n'est pas valide

## rempart init

init-wrote = { $file } écrit
init-next = Décrivez-y votre organisation, puis lancez : rempart plan check -c { $file }
init-exists = { $file } existe déjà ; il n'a pas été modifié (--force pour le remplacer)

## rempart repo init

repo-created = { $id } : créé dans { $location }
repo-created-sharing = { $id } : créé dans { $location }, avec la clé maîtresse de « { $peer } » (un autre site des mêmes sauvegardes : les copies déplacent les fichiers tels quels)
repo-existing = { $id } : déjà présent dans { $location }, mot de passe vérifié
repo-version-1 = { $id } : un dépôt restic de version 1 : les données y sont stockées sans compression (`restic migrate upgrade_repo_v2` active la compression)

## rempart backup run

backup-action-backup = sauvegarde
backup-action-copy = copie
backup-site-done = { $backup } : { $action } vers { $repository } ({ $site }) — instantané { $snapshot } en { $duration } ; fichiers : { $new ->
    [one] { $new } nouveau
   *[other] { $new } nouveaux
}, { $changed ->
    [one] { $changed } modifié
   *[other] { $changed } modifiés
}, { $unchanged ->
    [one] { $unchanged } inchangé
   *[other] { $unchanged } inchangés
} ; { $added ->
    [one] { $added } octet ajouté
   *[other] { $added } octets ajoutés
}
backup-site-failed = { $backup } : { $action } vers { $repository } ({ $site }) ÉCHEC — { $why }

## rempart backup list

backup-col-backup = SAUVEGARDE
backup-col-site = SITE
backup-col-repository = DÉPÔT
backup-col-snapshot = INSTANTANÉ
backup-col-time = DATE
backup-col-files = FICHIERS
backup-col-bytes = OCTETS
backup-col-origin = ORIGINE
backup-origin-adopted = adopté
backup-origin-other = autre
backup-origin-detail = { $origin } : { $program } sur { $host } : { $paths }
backup-origin-another-tool = un autre outil
backup-list-none = aucun instantané (--all montre aussi ceux d'aucune sauvegarde)
backup-list-none-all = aucun instantané

## rempart verify et repair

verify-sound = { $id } : sain ({ $duration })
verify-sound-read = { $id } : sain ({ $duration }, { $share } des données lues)
verify-damaged = { $id } : ENDOMMAGÉ — { $count ->
    [one] { $count } problème
   *[other] { $count } problèmes
}
verify-damaged-pack = pack endommagé { $pack }
verify-snapshot-hit = l'instantané { $snapshot } { $of } ({ $time }) a besoin de données endommagées : { $count ->
    [one] { $count } fichier ou dossier
   *[other] { $count } fichiers ou dossiers
}
verify-of-backup = de la sauvegarde « { $backup } »
verify-of-no-backup = d'aucune sauvegarde du plan
verify-file = fichier { $path }
verify-folder = dossier illisible { $path }
verify-more = … et { $count } de plus
verify-heal-hint = pour le réparer depuis un autre site : rempart repair { $id } --from <DÉPÔT>
repair-nothing = { $id } : rien à réparer
repair-pack-replaced = { $id } : pack { $pack } remplacé par la copie intacte de « { $from } »
repair-pack-rebuilt = { $id } : pack { $pack } retiré ; ses blobs copiés à nouveau depuis « { $from } »
repair-snapshots-copied = { $id } : { $count ->
    [one] { $count } instantané manquant copié
   *[other] { $count } instantanés manquants copiés
} depuis « { $from } »
repair-sound = { $id } : vérifié sain après la réparation ({ $share } des données lues)
repair-read-nothing = rien

## rempart restore

restore-done = { $backup } : instantané { $snapshot } restauré depuis { $repository } ({ $site }) dans { $to } — { $files ->
    [one] { $files } fichier
   *[other] { $files } fichiers
}{ $symlinks }, { $bytes ->
    [one] { $bytes } octet
   *[other] { $bytes } octets
} en { $duration } ; données d'il y a { $age }
restore-symlinks = { $count ->
    [one] {" "}(dont { $count } lien symbolique)
   *[other] {" "}(dont { $count } liens symboliques)
}

## rempart heartbeat

heartbeat-none = le plan n'a aucune sonde heartbeat
heartbeat-col-url = URL DE PING
heartbeat-col-period = PÉRIODE
heartbeat-col-last-ping = DERNIER PING
heartbeat-never = jamais
heartbeat-how = Les tâches appellent l'URL quand elles réussissent, URL/start quand elles commencent, URL/fail ou URL/<code de sortie> quand elles finissent, URL/log pour dire quelque chose sans changer l'état ; un corps envoyé en POST (la sortie de la tâche) est gardé, ses { $limit } premiers octets.

## rempart notify et ack

notify-test-subject = Message de test de Rempart
notify-test-text = Ce canal reçoit bien les alertes de Rempart.
notify-queued = en file pour { $receivers } : `rempart serve` le remet (voir `rempart notify list`)
notify-none = aucune notification encore
notify-col-channel = CANAL
notify-col-subject = OBJET
notify-col-attempts = ESSAIS
notify-col-state = ÉTAT
notify-sent = envoyée { $at }
notify-given-up = ABANDONNÉE { $at }
notify-queued-next = en file, prochain essai { $at }
ack-done = alerte { $id } ({ $monitor }) acquittée par { $by } : son escalade s'arrête
ack-already = alerte { $id } ({ $monitor }) déjà acquittée par { $by } le { $at }
ack-unknown = le client « { $tenant } » n'a pas d'alerte { $id } (son numéro figure dans les messages d'alerte)

## rempart secret, token, tenant

secret-set = secret « { $name } » du client « { $tenant } » enregistré ; son plan le nomme {"{"} secret = "{ $name }" {"}"}
secret-none = aucun secret encore (rempart secret set NOM)
secret-col-name = SECRET
secret-col-set = ENREGISTRÉ
secret-col-by = PAR
secret-removed = secret « { $name } » du client « { $tenant } » supprimé
secret-unknown = le client « { $tenant } » n'a pas de secret « { $name } »
token-created = jeton n° { $id } « { $name } » créé ; il n'est montré que maintenant :
token-col-name = NOM
token-col-scope = PORTÉE
token-scope-msp = tout le serveur
token-scope-tenant = client { $tenant }
token-scope-metrics = métriques seulement
token-revoked = jeton n° { $id } révoqué
token-unknown = aucun jeton actif n° { $id }
tenant-none = aucun client encore
tenant-col-id = CLIENT
tenant-col-name = NOM
tenant-col-plan = PLAN
tenant-col-since = DEPUIS
tenant-col-ruled-by = RÉGI PAR
tenant-no-plan = aucun plan
tenant-plan-version = v{ $version }
tenant-exists = le client « { $tenant } » existe déjà
tenant-added = client « { $tenant } » ajouté ; son plan arrive par l'API (PUT /api/v1/tenants/{ $tenant }/plan) ; un jeton pour le client : rempart token create --tenant { $tenant } --name NOM
tenant-root-missing = { $folder } n'est pas (encore) un dossier : les chemins qu'il contient sont refusés tant qu'il ne l'est pas
tenant-no-roots = client « { $tenant } » : aucun dossier ; un plan écrit par son client ne peut nommer aucun chemin local
tenant-roots = client « { $tenant } » : { $folders }

## rempart drill run

drill-report-start = exercice { $run } : scénario « { $scenario } » ({ $steps ->
    [one] { $steps } étape
   *[other] { $steps } étapes
}), processus « { $process } »
drill-report-skipped = [{ $index }/{ $total }] { $step } — sautée
drill-report-step = [{ $index }/{ $total }] { $step } ({ $kind })…
drill-report-step-ok = {"      "}ok { $duration } — { $message }
drill-report-step-failed = {"      "}ÉCHEC { $duration } — { $message }
drill-report-end = exercice { $run } : { $message }
drill-report-manual = {"      "}en attente d'une personne : { $what } — confirmez avec `{ $command }` [--note …] [--by NOM]
drill-report-manual-who = {"      "}en attente d'une personne ({ $who }) : { $what } — confirmez avec `{ $command }` [--note …] [--by NOM]
drill-stopping = arrêt de l'exercice : les étapes de nettoyage s'exécutent quand même
drill-dry-run = essai à blanc de « { $scenario } » : rien n'est exécuté ni enregistré
drill-dry-run-ready = prêt à exécuter
drill-dry-run-step = [{ $index }/{ $total }] { $step } ({ $kind }, délai { $timeout })
drill-dry-run-cleanup-step = [{ $index }/{ $total }] { $step } ({ $kind }, nettoyage, délai { $timeout })

## Lignes d'erreur et d'avertissement

cli-error-line = erreur : {$message}
cli-warning-line = avertissement : {$message}

## D'où vient le plan

cli-plan-missing = le plan {$file} (donné par -c ou $REMPART_PLAN) n'existe pas — écrivez-en un avec `rempart init`, ou omettez -c pour utiliser ./{$default} ou le plan que détient la base
cli-store-no-plan = la base n'a aucun client avec un plan
cli-no-store-at = aucune base à {$file}
cli-no-plan-found = aucun plan trouvé. Essayés dans l'ordre : -c et $REMPART_PLAN (aucun des deux donné), ./{$default} (absent de {$here}), le plan que détient la base ({$store}) — écrivez-en un avec `rempart init`, désignez-le avec -c FICHIER, ou donnez le --data-dir de `rempart serve`
cli-no-store-start-serve = aucune base à {$file} — lancez d'abord `rempart serve`, ou donnez --data-dir / --database-url
cli-tenant-no-runnable-plan = le client « {$tenant} » n'a pas encore de plan qu'il puisse exécuter (envoyez-en un : PUT /api/v1/tenants/{$tenant}/plan)
cli-no-such-tenant = aucun client « {$tenant} » dans cette base{$list}
cli-no-tenant-for-plan = aucun client de cette base n'est régi par le plan {$file}{$list}
cli-which-tenant = quel client ? Aucun fichier de plan ici (-c, $REMPART_PLAN, ./{$default}){$list}
cli-tenant-no-plan = le client « {$tenant} » n'a pas encore de plan
cli-tenants-none = ; la base n'a encore aucun client (rempart serve -c FICHIER, ou une sauvegarde ou un exercice lancé avec un fichier de plan, en crée un)
cli-tenant-ruled-by-file = fichier de plan {$file}
cli-tenant-ruled-by-api = plan envoyé par l'API
cli-tenants-name-one = ; nommez-en un avec --tenant (ou REMPART_TENANT) :
    {$list}
cli-plan-has-errors = le plan a des erreurs ; corrigez-les d'abord (rempart plan check)

## Autres erreurs

cli-metrics-token-no-tenant = un jeton de métriques lit les jauges de tous les clients ; il ne prend pas de --tenant
cli-tenant-no-plan-no-drill = le client « {$tenant} » n'a pas de plan : aucun exercice ne tourne
cli-no-backup-adopts = aucune sauvegarde du plan n'adopte d'instantanés ; ajoutez adopt = {"{"} host = "…", paths = ["…"] {"}"} à une [[backup]] (adopt = {"{}"} prend tous les instantanés de ses dépôts)
cli-repository-unreadable = {$backup} : le dépôt « {$repository} » n'a pas pu être lu : {$why}
cli-no-such-backup = le plan n'a pas de sauvegarde « {$backup} »
cli-cannot-record = impossible d'enregistrer la preuve : {$why}
cli-restore-fell-back = restauration impossible depuis {$why}
cli-cannot-record-ack = impossible d'enregistrer l'acquittement : {$why}
cli-cannot-create-dir = impossible de créer le dossier {$dir} : {$why}
cli-cannot-write = impossible d'écrire {$file} : {$why}

## rempart user

user-bad-email = « {$email} » n'est pas une adresse e-mail
user-short-password = le mot de passe fait moins de {$min} caractères ; une phrase de quelques mots se retient mieux
user-tenant-needed = un {$role} appartient à un client : donnez --tenant
user-tenant-refused = un {$role} voit tous les clients : omettez --tenant
user-exists = l'utilisateur {$email} existe déjà (rempart user passwd {$email} change son mot de passe)
user-unknown = aucun utilisateur {$email} (rempart user list les montre)
user-unknown-tenant = aucun client « {$tenant} » (rempart tenant list les montre)
user-password-prompt = Mot de passe de {$email} :{" "}
user-password-again = Une seconde fois :{" "}
user-password-mismatch = les deux mots de passe diffèrent ; rien n'a changé
user-password-none = aucun mot de passe sur l'entrée standard (donnez-le en première ligne)
user-role-of = {$role} de {$tenant}
user-added = {$email} ajouté ({$role}) ; il se connecte au portail avec cet e-mail et ce mot de passe
user-none = aucun utilisateur : rempart user add EMAIL --role msp-admin crée le premier
user-col-email = E-MAIL
user-col-role = RÔLE
user-col-password = MOT DE PASSE DÉFINI
user-col-state = ÉTAT
user-locked = verrouillé jusqu'à {$until}
user-active = actif
user-removed = {$email} supprimé ; ses sessions sont closes
user-password-set = mot de passe de {$email} défini ; ses autres sessions sont closes
demo-portal = Portail de démo : {$address} — connectez-vous avec l'un de ces comptes (mots de passe de la démo, nouveaux à chaque démarrage) :
demo-login = {"  "}démo {$role} : {$email} / {$password}

# rempart audit
audit-title = audit de conformité
audit-col-rule = règle
audit-col-subject = objet
audit-col-severity = gravité
audit-col-verdict = résultat
audit-col-detail = constat
audit-col-evidence = preuves
audit-regression = { $verdict } (régression)
audit-to-fix = À corriger :
audit-risks = Registre des risques (probabilité × impact ; résiduel : avec les mesures saines à cette heure) :
audit-col-risk = risque
audit-col-inherent = déclaré
audit-col-residual = résiduel
audit-col-mitigations = mesures
audit-mitigation-healthy = saine
audit-mitigation-failing = en échec
audit-mitigation-unmeasured = pas encore mesurée
audit-summary = { $pass } règles conformes, { $fail } non conformes, dont { $high } hautes.

# rempart report
report-written = { $path } écrit ({ $bytes } octets, SHA-256 { $sha }), établi à partir de la preuve n° { $head } ; conservé comme preuve n° { $seq }
report-cannot-write = impossible d'écrire { $path } : { $why }
