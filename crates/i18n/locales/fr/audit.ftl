# L'audit de conformité (rempart_core::audit) : intitulés des règles,
# remédiations, et ce que chaque constat a trouvé.

audit-severity-low = faible
audit-severity-medium = moyenne
audit-severity-high = haute
audit-verdict-pass = conforme
audit-verdict-fail = non conforme
audit-verdict-na = sans objet
audit-yes = oui
audit-no = non

audit-rule-backup-32110 = Règle de sauvegarde 3-2-1-1-0
audit-rule-rpo-achievable = PDMA tenable avec la fréquence des sauvegardes
audit-rule-restore-offsite = Restauration testée depuis la copie hors site
audit-rule-verified = Sauvegardes vérifiées dans leur délai
audit-rule-immutable = Une copie immuable confirmée par le stockage
audit-rule-drilled-yearly = Processus vital exercé depuis moins de 12 mois
audit-rule-drill-schedule = Scénario exercé selon son calendrier
audit-rule-rto-mtpd = DMIA inférieure à la durée maximale d'interruption tolérable
audit-rule-alternate = Chaque rôle de crise a un suppléant
audit-rule-escalation = Une alerte atteint une personne avant la DMIA
audit-rule-chain = Chaîne de preuves intacte

audit-fix-backup-32110 = Conserver 3 copies sur 2 sites, dont 1 hors site et 1 immuable (verrouillage objet), et corriger les erreurs de vérification et d'exercice : ajouter un dépôt cible sur un autre site, activer le verrouillage objet, lancer `rempart verify`.
audit-fix-rpo-achievable = Sauvegarder plus souvent que la PDMA : régler la fréquence de la sauvegarde sur un intervalle au plus égal à la PDMA du processus, ou convenir d'une PDMA plus longue avec son responsable.
audit-fix-restore-offsite = Ajouter au scénario une étape qui restaure cette sauvegarde depuis son site distant (`{"{"} restore = "…", site = "…" {"}"}`) et lancer l'exercice.
audit-fix-verified = Planifier une vérification du dépôt dans son délai `verify_within` (`rempart verify`) et corriger ce qu'elle trouve.
audit-fix-immutable = Conserver une copie dans un dépôt à verrouillage objet (S3 en mode conformité) déclaré `immutable = true`, puis le vérifier pour que le stockage confirme le verrou.
audit-fix-drilled-yearly = Lancer un exercice d'un scénario du processus (`rempart drill run SCENARIO`) et tenir un calendrier au moins annuel (`drill = "every 90d"`).
audit-fix-drill-schedule = Lancer l'exercice du scénario maintenant (`rempart drill run SCENARIO`) et comprendre pourquoi les exercices planifiés n'ont pas réussi.
audit-fix-rto-mtpd = Ramener la durée de reprise sous la DMIA globale : accélérer la procédure ou la restauration, ou revoir le BIA avec le responsable du processus.
audit-fix-alternate = Désigner au moins un suppléant pour ce contact (`alternates = ["…"]`) afin que le rôle soit tenu quand il est injoignable.
audit-fix-escalation = Surveiller les actifs du processus avec une sonde dont l'escalade prévient une personne (un contact, ou un canal e-mail, messagerie ou notification) bien avant la DMIA.
audit-fix-chain = Le journal des preuves a été altéré : restaurer la base depuis une sauvegarde, conserver la copie altérée pour l'enquête et lancer `rempart evidence verify`.

audit-framework-dora-11 = DORA art. 11 — réponse et rétablissement (continuité des activités TIC, tests)
audit-framework-dora-12 = DORA art. 12 — politiques de sauvegarde, restauration et rétablissement, copies séparées
audit-framework-nis2 = Règlement d'exécution NIS2 2024/2690, annexe §4.2 — gestion des sauvegardes et de la redondance

audit-detail-counts = { $copies } copies sur { $sites } sites, hors site : { $offsite }, immuable : { $immutable }, { $errors } erreurs
audit-detail-schedule = la sauvegarde « { $backup } » tourne au pire toutes les { $gap }, pour une PDMA de { $rpo }
audit-detail-no-backup = aucune sauvegarde ne protège ce processus
audit-detail-restored-offsite = restaurée par un exercice réussi depuis le site distant « { $site } »
audit-detail-restored-onsite = restaurée par un exercice seulement depuis le site « { $site } », qui n'est pas hors site
audit-detail-never-restored = aucun exercice réussi n'a encore restauré cette sauvegarde
audit-detail-verified = « { $repository } » vérifié il y a { $age } (délai { $within })
audit-detail-never-verified = « { $repository } » n'a jamais été vérifié avec succès
audit-detail-no-immutable = aucun dépôt cible n'est déclaré immuable
audit-detail-immutable-unconfirmed = déclaré immuable, mais aucune vérification n'a encore confirmé le verrou
audit-detail-immutable-confirmed = le verrou de « { $repository } » a été confirmé par le stockage
audit-detail-drilled = dernier exercice réussi il y a { $age } (au plus { $within })
audit-detail-never-drilled = aucun exercice n'a encore réussi
audit-detail-not-vital = processus non vital
audit-detail-no-schedule = pas de calendrier d'exercice
audit-detail-no-mtpd = pas de DMIA globale déclarée
audit-detail-mtpd-achieved = DMIA { $rto }, mesurée { $achieved }, DMIA globale { $mtpd }
audit-detail-mtpd = DMIA { $rto }, DMIA globale { $mtpd } (DMIA pas encore mesurée)
audit-detail-alternates = { $count ->
    [0] aucun suppléant
    [one] 1 suppléant
   *[other] { $count } suppléants
}
audit-detail-unwatched = aucune sonde ne surveille les actifs du processus
audit-detail-no-human = l'escalade de « { $monitor } » ne prévient aucune personne
audit-detail-reach = par « { $monitor } », une personne est prévenue { $after } après l'alerte (DMIA { $rto })
audit-detail-chain = { $checked } preuves vérifiées intactes jusqu'à la n° { $head }, il y a { $age }
audit-detail-chain-unverified = le journal des preuves n'a jamais été vérifié (le serveur le vérifie chaque jour ; `rempart audit` le vérifie d'abord)
audit-detail-chain-broken = la chaîne est rompue à la preuve n° { $seq }

audit-recorded = audit : { $pass } règles conformes, { $fail } non conformes ({ $high } hautes)
