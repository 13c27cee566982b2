# Les messages envoyés aux personnes (alertes, rappels, escalades), en français.

alert-down-subject = [PANNE] { $name }
alert-up-subject = [RÉTABLI] { $name }
alert-root-cause = Cause première : aussi touchés (ils en dépendent) : { $children }
alert-back-after = De nouveau disponible après { $lasted } d'interruption.
alert-reminder = Rappel : toujours en panne et non acquittée après { $waited }.
alert-escalated = Toujours en panne et non acquittée après { $waited } : escalade (niveau { $level }).

# La page d'acquittement qu'ouvre le lien d'une alerte (souvent sur un téléphone).

ack-unknown-link-title = Lien inconnu
ack-unknown-link = Ce lien d'acquittement est inconnu ou altéré.
ack-expired-title = Lien expiré
ack-expired = Ce lien a expiré le { $when }. Acquittez l'alerte n° { $id } depuis un message plus récent, ou avec { $command }.
ack-unavailable-title = Serveur indisponible
ack-unavailable = Le serveur ne répond pas pour l'instant : réessayez dans un moment.
ack-title = Alerte n° { $id }
ack-state-over = terminée le { $when }
ack-state-acknowledged = acquittée le { $when } ({ $by })
ack-state-open = en cours, non acquittée
ack-fact-monitor = Moniteur
ack-fact-since = Depuis
ack-fact-state = État
ack-fact-sent-to = Envoyé à
ack-button = Acquitter : je m'en occupe
ack-button-explained = Acquitter arrête l'escalade : les niveaux suivants ne seront pas prévenus.
ack-done-page = Alerte acquittée : l'escalade s'arrête.
ack-already-page = Cette alerte était déjà acquittée.
ack-unknown-alert-title = Alerte inconnue
ack-unknown-alert = Cette alerte n'existe plus.

# Plusieurs alertes à un même destinataire, envoyées ensemble ; le pied des e-mails ; l'étape notify d'un exercice.

alert-grouped-down-subject = [PANNE] { $count } moniteurs : { $names }
alert-grouped-up-subject = [RÉTABLI] { $count } moniteurs : { $names }
mail-footer = Envoyé par Rempart
drill-notify-subject = Exercice { $scenario } — { $step }
