# Le rapport de SLA mensuel (rempart-report, nature sla) et son courriel.

sla-doc-month = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
} { $year }
sla-doc-period = Période
sla-doc-period-partial = { $month }, jusqu'au { $until }
sla-doc-summary = Synthèse
sla-doc-intro = Ce rapport présente, pour { $period }, la disponibilité des services de { $organization } au regard des objectifs de son plan de continuité, les interruptions et leurs causes, les sauvegardes, vérifications et exercices de reprise réalisés, et la situation de chaque processus métier au regard de ses objectifs de reprise. Chaque chiffre cite la preuve dont il provient.
sla-doc-targets-met = { $count ->
    [one] L'objectif de disponibilité a été atteint.
   *[other] Les { $count } objectifs de disponibilité ont été atteints.
}
sla-doc-targets-missed = { $missed ->
    [one] 1 objectif de disponibilité sur { $count } n'a pas été atteint : { $names }.
   *[other] { $missed } objectifs de disponibilité sur { $count } n'ont pas été atteints : { $names }.
}
sla-doc-missed-one = { $service } ({ $uptime } pour { $target })
sla-doc-no-target = Le plan ne fixe aucun objectif de disponibilité : ils se déclarent dans la section [sla] du plan.
sla-doc-targets-unmeasured = Aucun service doté d'un objectif de disponibilité n'a été contrôlé pendant la période.
sla-doc-fact-targets = Objectifs de disponibilité atteints
sla-doc-fraction = { $part } sur { $whole }
sla-doc-fact-outages = Interruptions
sla-doc-outages-total = { $count ->
    [one] 1 interruption, { $down } au total
   *[other] { $count } interruptions, { $down } au total
}
sla-doc-fact-backups = Sauvegardes et copies
sla-doc-fact-verifications = Vérifications
sla-doc-runs = { $count ->
    [one] 1 exécution
   *[other] { $count } exécutions
}, { $failed ->
    [0] aucune en échec
    [one] 1 en échec
   *[other] { $failed } en échec
}
sla-doc-fact-drills = Exercices de reprise
sla-doc-drills-count = { $count ->
    [one] 1 exercice
   *[other] { $count } exercices
}, { $passed ->
    [one] 1 réussi
   *[other] { $passed } réussis
}
sla-doc-fact-processes = Processus dans leurs objectifs
sla-doc-availability = Disponibilité des services
sla-doc-availability-intro = La disponibilité d'un service est la part de ses contrôles réussis pendant la période, comptée dans le fuseau horaire de l'organisation ({ $zone }). Les contrôles faits pendant une fenêtre de maintenance déclarée ne comptent ni pour ni contre lui. Une interruption va du contrôle qui a confirmé la panne à celui qui a confirmé le rétablissement ; ces deux contrôles sont des preuves, citées avec chaque interruption.
sla-doc-col-service = Service
sla-doc-col-uptime = Disponibilité
sla-doc-col-checks = Contrôles comptés
sla-doc-col-maintenance = En maintenance
sla-doc-col-outages = Interruptions
sla-doc-col-downtime = Durée d'indisponibilité
sla-doc-met = { $uptime } (atteint)
sla-doc-missed = { $uptime } (non atteint)
sla-doc-chart-caption = Disponibilité jour par jour sur { $period } : vert, objectif atteint ; orange, moins d'un point en dessous ; rouge, plus bas ; gris, aucun contrôle.
sla-doc-chart-label = Disponibilité jour par jour
sla-doc-outages = Interruptions
sla-doc-outages-intro = Chaque interruption, avec sa cause telle que le contrôle l'a constatée ; les preuves citées sont les contrôles qui ont confirmé la panne et le rétablissement.
sla-doc-no-outage = Aucune interruption en { $period }.
sla-doc-col-state = État
sla-doc-col-start = Début
sla-doc-col-end = Fin
sla-doc-col-duration = Durée
sla-doc-col-cause = Cause
sla-doc-col-records = Preuves
sla-doc-state-down = hors service
sla-doc-state-unreachable = injoignable
sla-doc-ongoing = toujours en cours le { $at }
sla-doc-cause-parents = dépend de { $parents }, alors hors service
sla-doc-objectives = Objectifs de reprise
sla-doc-objectives-intro = Pour chaque processus, la durée de reprise (DMIA) mesurée par le dernier exercice réussi, et l'exposition à la perte de données (PDMA) depuis son point de restauration le plus récent sur tous les sites, à la date du { $at }.
sla-doc-col-rto-achieved = DMIA atteinte
sla-doc-col-rpo-exposure = PDMA exposée
sla-doc-reason = { $process } : { $why }
sla-doc-rto-trend = { $process } : durée de reprise à chaque exercice des douze derniers mois, au regard de son objectif de { $target }
sla-doc-activity = Sauvegardes et vérifications
sla-doc-activity-intro = Toutes les exécutions de la période : chaque site atteint par une sauvegarde ou une copie est une preuve, et chaque contrôle d'un dépôt est une vérification.
sla-doc-col-backup = Sauvegarde
sla-doc-col-runs = Exécutions
sla-doc-col-failed = En échec
sla-doc-col-latest-success = Dernière réussite
sla-doc-col-restore-point = Point de restauration le plus récent
sla-doc-col-repository = Dépôt
sla-doc-col-latest = Dernière
sla-doc-evidence-log = Journal des preuves
sla-doc-outcome-success = réussie
sla-doc-outcome-failure = échouée
sla-doc-latest = { $outcome } ({ $cite })
sla-doc-repairs = Réparations
sla-doc-repair = { $repository } : réparé à partir de la copie d'un autre site, { $outcome } ({ $cite })
sla-doc-drills = Exercices de reprise
sla-doc-drills-intro = Chaque exercice de la période a restauré ou basculé pour de vrai, chronomètre en main ; un scénario sans exercice pendant la période est signalé comme tel.
sla-doc-col-scenario = Scénario
sla-doc-col-result = Résultat
sla-doc-col-record = Preuve
sla-doc-col-rto-measured = DMIA mesurée
sla-doc-col-rpo-measured = PDMA mesurée
sla-doc-not-drilled = aucun exercice pendant la période
sla-doc-mail-subject = { $organization } : rapport de service de { $period }
sla-doc-mail-text = Veuillez trouver ci-joint le rapport de service de { $organization } pour { $period } : la disponibilité de chaque service au regard de son objectif, les interruptions, les sauvegardes, vérifications et exercices de reprise, avec la preuve sur laquelle repose chaque chiffre.

    { $summary }

    L'empreinte SHA-256 du PDF joint est { $sha256 }. Elle est conservée dans le journal des preuves sous le n° { $seq } : son authenticité peut être vérifiée à tout moment.
