# The monthly SLA report (rempart-report, kind sla) and its e-mail.

sla-doc-month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
sla-doc-period = Period
sla-doc-period-partial = { $month }, up to { $until }
sla-doc-summary = Summary
sla-doc-intro = This report gives, for { $period }, the availability of the services of { $organization } against the targets of its continuity plan, the outages and their causes, the backups, verifications and recovery drills that ran, and where each business process stands against its recovery objectives. Every figure cites the evidence record it comes from.
sla-doc-targets-met = { $count ->
    [one] The uptime target was met.
   *[other] All { $count } uptime targets were met.
}
sla-doc-targets-missed = { $missed ->
    [one] 1 uptime target of { $count } was missed: { $names }.
   *[other] { $missed } uptime targets of { $count } were missed: { $names }.
}
sla-doc-missed-one = { $service } ({ $uptime } for { $target })
sla-doc-no-target = The plan sets no uptime target: targets are declared under [sla] in the plan.
sla-doc-targets-unmeasured = No service with an uptime target was checked during the period.
sla-doc-fact-targets = Uptime targets met
sla-doc-fraction = { $part } of { $whole }
sla-doc-fact-outages = Outages
sla-doc-outages-total = { $count ->
    [one] 1 outage, { $down } in all
   *[other] { $count } outages, { $down } in all
}
sla-doc-fact-backups = Backups and copies
sla-doc-fact-verifications = Verifications
sla-doc-runs = { $count ->
    [one] 1 run
   *[other] { $count } runs
}, { $failed ->
    [0] none failed
   *[other] { $failed } failed
}
sla-doc-fact-drills = Recovery drills
sla-doc-drills-count = { $count ->
    [one] 1 drill
   *[other] { $count } drills
}, { $passed } passed
sla-doc-fact-processes = Processes within their objectives
sla-doc-availability = Service availability
sla-doc-availability-intro = A service's uptime is the share of its checks that passed during the period, counted in the organisation's time zone ({ $zone }). Checks made during a declared maintenance window count neither for nor against it. An outage lasts from the check that confirmed the failure to the one that confirmed the recovery; both checks are evidence records, cited with each outage.
sla-doc-col-service = Service
sla-doc-col-uptime = Uptime
sla-doc-col-checks = Checks counted
sla-doc-col-maintenance = In maintenance
sla-doc-col-outages = Outages
sla-doc-col-downtime = Downtime
sla-doc-met = { $uptime } (met)
sla-doc-missed = { $uptime } (missed)
sla-doc-chart-caption = Daily uptime over { $period }: green, target met; amber, less than a point below it; red, further below; grey, no check.
sla-doc-chart-label = Daily uptime
sla-doc-outages = Outages
sla-doc-outages-intro = Each outage, with its cause as the check saw it; the records cited are the checks that confirmed the failure and the recovery.
sla-doc-no-outage = No outage during { $period }.
sla-doc-col-state = State
sla-doc-col-start = Start
sla-doc-col-end = End
sla-doc-col-duration = Duration
sla-doc-col-cause = Cause
sla-doc-col-records = Records
sla-doc-state-down = down
sla-doc-state-unreachable = unreachable
sla-doc-ongoing = still going on at { $at }
sla-doc-cause-parents = depends on { $parents }, which was down
sla-doc-objectives = Recovery objectives
sla-doc-objectives-intro = Each process's recovery time (RTO) as the latest passing drill measured it, and its exposure to data loss (RPO) from its newest restore point on every site, as of { $at }.
sla-doc-col-rto-achieved = RTO achieved
sla-doc-col-rpo-exposure = RPO exposure
sla-doc-reason = { $process }: { $why }
sla-doc-rto-trend = { $process }: recovery time at each drill of the last twelve months, against its target of { $target }
sla-doc-activity = Backups and verifications
sla-doc-activity-intro = Every run of the period: each site a backup or a copy reaches is one record, and each check of a repository is one verification.
sla-doc-col-backup = Backup
sla-doc-col-runs = Runs
sla-doc-col-failed = Failed
sla-doc-col-latest-success = Latest success
sla-doc-col-restore-point = Newest restore point
sla-doc-col-repository = Repository
sla-doc-col-latest = Latest
sla-doc-evidence-log = Evidence log
sla-doc-outcome-success = passed
sla-doc-outcome-failure = failed
sla-doc-latest = { $outcome } ({ $cite })
sla-doc-repairs = Repairs
sla-doc-repair = { $repository }: repaired from another site's copy, { $outcome } ({ $cite })
sla-doc-drills = Recovery drills
sla-doc-drills-intro = Each drill of the period restored or failed over for real and was timed; a scenario not drilled during the period says so.
sla-doc-col-scenario = Scenario
sla-doc-col-result = Result
sla-doc-col-record = Record
sla-doc-col-rto-measured = RTO measured
sla-doc-col-rpo-measured = RPO measured
sla-doc-not-drilled = not drilled during the period
sla-doc-mail-subject = { $organization }: service report for { $period }
sla-doc-mail-text = Please find attached the service report of { $organization } for { $period }: the availability of each service against its target, the outages, the backups, verifications and recovery drills, with the evidence record behind each figure.

    { $summary }

    The attached PDF's SHA-256 is { $sha256 }. It is kept in the evidence log as record #{ $seq }: its authenticity can be checked at any time.
