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
