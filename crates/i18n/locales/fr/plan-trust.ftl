# Ce que le plan d'un client ne peut pas contenir (crates/core/src/plan/trust.rs),
# et ce que `plan check --resolve` trouve sur ce serveur (secrets, chemins,
# dépôts : crates/rempart/src/plan_cmd.rs, crates/backup/src/secrets.rs).
# Chaque message a son jumeau anglais dans ../en/plan-trust.ftl, avec les
# mêmes variables (crates/i18n/tests/catalogue.rs le vérifie).

## Ce qu'est un champ du plan, pour les gens ({ $what } plus bas)

plan-trust-repository-location = l'emplacement du dépôt « { $id } »
plan-trust-repository-no-keys = le dépôt « { $id } » (sans clés d'accès)
plan-trust-repository-endpoint = le point d'accès S3 (endpoint) du dépôt « { $id } »
plan-trust-repository-password = le mot de passe du dépôt « { $id } »
plan-trust-repository-access-key-id = l'identifiant de clé d'accès (access_key_id) du dépôt « { $id } »
plan-trust-repository-secret-access-key = la clé d'accès secrète (secret_access_key) du dépôt « { $id } »
plan-trust-backup-command = la commande source de la sauvegarde « { $id } »
plan-trust-backup-path = le chemin source de la sauvegarde « { $id } »
plan-trust-monitor-command = la commande de la sonde « { $id } »
plan-trust-monitor-server = le serveur de la sonde « { $id } »
plan-trust-monitor-target = la cible de la sonde « { $id } »
plan-trust-monitor-ca = le fichier CA de la sonde « { $id } »
plan-trust-step-command = la commande de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-step-sql = la requête SQL de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-step-url = l'URL de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-step-address = l'adresse de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-step-folder = le dossier de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-step-database = l'URL de base de données de l'étape « { $step } » du scénario « { $scenario } »
plan-trust-channel-url = l'URL du canal « { $id } »
plan-trust-channel-url-secret = l'URL (url) du canal « { $id } »
plan-trust-channel-secret = le secret du canal « { $id } »
plan-trust-channel-token = le jeton du canal « { $id } »
plan-trust-server-env = la variable d'environnement { $env } du serveur
plan-trust-server-file = le fichier { $file } du serveur

## Ce que le plan d'un client ne peut pas contenir

plan-trust-runs = { $what } s'exécuterait sur le serveur du MSP : seul le MSP peut renseigner ce champ
plan-trust-runs-hint = demandez à votre MSP de l'ajouter au plan qu'il gère ; avec un agent sur votre site (à venir), l'exécution se fera chez vous
plan-trust-reads = pour { $what }, Rempart lirait { $source } : seul le MSP peut renseigner ce champ
plan-trust-reads-hint = enregistrez le secret pour votre organisation (rempart secret set NOM, ou PUT /api/v1/tenants/{"{"}tenant{"}"}/secrets/NOM) et écrivez {"{"} secret = "NOM" {"}"}
plan-trust-server-credentials = { $what } : Rempart accéderait à S3 avec les identifiants propres du serveur ; seul le MSP peut renseigner ce champ
plan-trust-server-credentials-hint = indiquez access_key_id = {"{"} secret = "…" {"}"} et secret_access_key = {"{"} secret = "…" {"}"}
plan-trust-writes-into = { $what } (« { $path } ») recevrait des données restaurées sur le serveur du MSP : seul le MSP peut renseigner ce champ
plan-trust-writes-into-hint = retirez `to` : l'exercice restaure dans son propre bac à sable, supprimé ensuite
plan-trust-reaches = { $what } (« { $target } ») : { $why }
plan-trust-reaches-hint = indiquez une adresse publique ; ce qui se trouve dans le réseau du MSP relève du plan du MSP lui-même (ou, plus tard, de votre agent)
plan-trust-path = { $what } (« { $path } ») { $why }
plan-trust-path-hint = utilisez un dossier situé sous ceux que le MSP autorise pour votre organisation (rempart tenant roots), ou demandez au MSP d'en autoriser un

## Pourquoi un chemin ou une adresse est refusé ({ $why } plus haut)

plan-trust-no-roots = désigne un chemin sur le serveur du MSP, où aucun dossier n'est autorisé pour cette organisation
plan-trust-no-roots-missing = désigne un chemin sur le serveur du MSP, où aucun dossier n'est autorisé pour cette organisation ({ $missing } n'existe pas)
plan-trust-goes-up = remonte avec `..` : écrivez le chemin sans
plan-trust-leads-outside = mène hors des dossiers autorisés pour cette organisation ({ $folders })
plan-trust-broken-link = passe par un lien symbolique qui ne mène nulle part
plan-trust-unresolvable = ne peut pas être résolu
plan-trust-internal-network = { $host } est une adresse des réseaux internes du MSP, que le plan d'un client ne peut pas joindre
plan-trust-server-itself = { $host } désigne le serveur du MSP lui-même, que le plan d'un client ne peut pas joindre

## Ce que `plan check --resolve` trouve sur ce serveur

plan-resolve-secret = impossible d'obtenir { $what } : { $why }
plan-resolve-no-stored-secret = aucun secret « { $secret } » enregistré pour ce client (enregistrez-le avec `rempart secret set { $secret }` ou PUT /api/v1/tenants/{"{"}tenant{"}"}/secrets/{ $secret })
plan-resolve-client-server-secret = le plan d'un client ne peut pas lire l'environnement ni les fichiers du serveur ; écrivez {"{"} secret = "nom" {"}"}
plan-resolve-env-unset = la variable d'environnement { $env } n'est pas définie
plan-resolve-file-unreadable = impossible de lire { $path } : { $error }
plan-resolve-secret-empty = la valeur est vide
plan-resolve-secret-set-hint = enregistrez-le avec `rempart secret set { $secret }`
plan-resolve-env-hint = définissez { $env } dans l'environnement de `rempart serve` et des commandes
plan-resolve-file-hint = écrivez le fichier, lisible par l'utilisateur sous lequel Rempart tourne
plan-resolve-repository-no-folder = le dépôt « { $id } » n'existe pas encore : il n'y a pas de dossier { $path }
plan-resolve-repo-init-hint = créez-le avec `rempart repo init { $id }`
plan-resolve-path-missing = { $what } ({ $path }) n'existe pas sur ce serveur
plan-resolve-path-missing-hint = créez-le, montez-le ou corrigez le chemin ; ce qui en dépend échoue d'ici là
plan-resolve-repository-v1 = le dépôt « { $id } » est un dépôt restic en version 1 : il ne sait pas compresser, ses sauvegardes sont stockées sans compression
plan-resolve-repository-v1-level = le dépôt « { $id } » est un dépôt restic en version 1 : il ne sait pas compresser, ses sauvegardes sont stockées sans compression, donc compression = "{ $level }" ne peut pas être respecté
plan-resolve-repository-v1-hint = `restic migrate upgrade_repo_v2` le met à niveau (lisible ensuite par restic 0.14 ou plus récent) ; ou écrivez compression = "off"
plan-resolve-not-initialised = le dépôt « { $id } » ({ $location }) n'est pas initialisé : lancez `rempart repo init { $id }`
plan-resolve-wrong-password = mot de passe erroné pour le dépôt « { $id } » ({ $location }) : rien n'a été écrit
plan-resolve-password-hint = enregistrez le mot de passe avec `rempart secret set`, ou corrigez la référence
plan-resolve-repository-error = dépôt « { $id } » ({ $location }) : { $error }
plan-resolve-stopped = arrêté avant la fin : { $why } ; rien n'en a été conservé comme instantané valide
plan-resolve-no-answer = pas de réponse en { $seconds } s
plan-resolve-other-error = { $error }
plan-resolve-unreachable-hint = vérifiez l'adresse, les identifiants et le réseau ; les sauvegardes vers ce dépôt échouent d'ici là

## Lecture du fichier de plan

plan-read-failed = impossible de lire le plan { $file } : { $error }
plan-read-not-found = impossible de lire le plan { $file } : { $error } — créez-en un avec `rempart init`, ou indiquez-le avec -c FICHIER ou $REMPART_PLAN
