## The portal: what its pages say.

portal-product = Rempart
portal-skip = Skip to the content
portal-language-name = English
portal-logout = Log out
portal-role-msp-admin = MSP administrator
portal-role-msp-operator = MSP technician
portal-role-client-admin = client administrator
portal-role-client-viewer = client, read only
portal-form-expired = This form has expired or did not come from this site; please try again.

## Login

portal-login-title = Log in
portal-login-heading = Log in to Rempart
portal-login-intro = Continuity of your business: backups, drills and supervision, measured.
portal-login-email = E-mail
portal-login-password = Password
portal-login-submit = Log in
portal-login-refused = Wrong e-mail or password.
portal-login-locked = Too many failed attempts: this account is locked for { $minutes ->
    [one] one more minute
   *[other] {$minutes} more minutes
}. Ask your administrator to reset your password if you have forgotten it.
portal-login-throttled = Too many failed attempts from your address: try again in { $minutes ->
    [one] one minute
   *[other] {$minutes} minutes
}.
portal-login-unavailable = The server cannot check logins right now; try again in a moment.

## Overview

portal-overview-title = Overview
portal-overview-heading = Clients, most urgent first
portal-overview-empty = No client yet.
portal-col-client = Client
portal-col-status = Status
portal-col-processes = Processes
portal-col-alerts = Alerts
portal-col-freshness = Newest restore point
portal-col-last-drill = Last drill
portal-status-monitor-down = monitor down
portal-monitors-down = {$down} of {$total} down
portal-alerts-none = none
portal-alerts-count = {$unacked} to acknowledge, {$acked} acknowledged
portal-freshness = {$age} old, RPO {$target}
portal-freshness-none = no restore point
portal-drill-never = never drilled
portal-drill-passed = passed {$ago}
portal-drill-failed = failed {$ago}
portal-tenant-no-plan = no plan yet
portal-tenant-no-process = no process in the plan
portal-tenant-unreadable = cannot be read now
portal-process-counts = { $total ->
    [one] 1 process
   *[other] {$total} processes
}: {$breached} breached, {$untested} untested, {$at_risk} at risk

## Not found

portal-not-found = Not found
portal-not-found-text = This page does not exist, or your account does not give access to it.
portal-back-overview = Back to the overview

## A tenant's dashboard

portal-milliseconds = {$ms} ms
portal-seconds = {$seconds} s
portal-hours = {$hours} h
portal-days = {$days} d
portal-minutes = {$minutes} min
portal-hours-minutes = {$hours} h {$minutes} min
portal-days-hours = {$days} d {$hours} h
portal-just-now = just now
portal-ago = {$duration} ago
portal-measured-of-target = {$measured} measured, target {$target}
portal-not-measured = not measured yet, target {$target}
portal-rto = RTO
portal-rpo = RPO
portal-criticality = { $level ->
    [vital] vital
    [essential] essential
   *[other] secondary
}
portal-processes = Processes
portal-backups = Backups — the 3-2-1-1-0 rule
portal-col-backup = Backup
portal-col-copies = Copies
portal-col-sites = Sites
portal-col-offsite = Off-site
portal-col-immutable = Immutable
portal-col-errors = Errors
portal-col-rule = 3-2-1-1-0
portal-rule-holds = holds
portal-rule-fails = not met
portal-yes = yes
portal-no = no
portal-monitors = Monitors
portal-col-monitor = Monitor
portal-col-state = State
portal-col-since = Since
portal-col-message = Last check
portal-up = up
portal-down = down
portal-unreachable = unreachable
portal-unknown = not checked yet
portal-alerts = Open alerts
portal-no-alert = No open alert.
portal-ack = Acknowledge
portal-acked-by = acknowledged by {$by} {$ago}

## A person's account

portal-account-title = Your account
portal-account-who = {$email}, {$role}
portal-account-who-tenant = {$email}, {$role} of {$tenant}
portal-password-heading = Change your password
portal-password-current = Current password
portal-password-new = New password
portal-password-again = New password, again
portal-password-change = Change the password
portal-password-min = At least {$min} characters; a few words are easier to remember than symbols.
portal-password-mismatch = The two new passwords differ; nothing was changed.
portal-password-wrong = The current password is wrong; nothing was changed.
portal-password-wait = Too many failed attempts: wait a few minutes, then try again.
portal-password-changed = Your password is changed; your other sessions are ended.
portal-timezone-heading = Time zone
portal-timezone-label = Dates and times are shown in
portal-timezone-plan = The client's plan's time zone
portal-timezone-save = Save
portal-timezone-saved = Dates are now shown in { $zone }.
portal-timezone-plan-saved = Dates are now shown in each client's plan's time zone.
portal-timezone-unknown = “{ $zone }” is not a time zone Rempart knows: choose one from the list.
portal-sessions-heading = Your sessions
portal-session-this = this session
portal-session-end = End
portal-session-seen = Last seen
portal-session-created = Started
portal-session-address = Address
portal-session-agent = Browser

## Evidence

portal-evidence-title = Evidence
portal-evidence-intro = Every figure shown comes from these records: append-only, each chained to the one before by its SHA-256. {$head} records so far.
portal-evidence-kind-label = Kind
portal-evidence-all-kinds = all kinds
portal-evidence-filter = Show
portal-evidence-verify = Verify the chain
portal-evidence-intact = The chain is intact: {$checked} records checked, up to #{$head}.
portal-evidence-broken-at = The chain is BROKEN at #{$seq}: {$why}
portal-evidence-broken = The chain is BROKEN: {$why}
portal-evidence-empty = No record matches.
portal-evidence-chain = previous hash → this record's hash
portal-evidence-kind = { $kind ->
    [backup] backup
    [copy] copy
    [verify] verification
    [restore] restore
    [repair] repair
    [drill] drill
    [drill-step] drill step
    [probe] probe
    [notification] notification
    [confirmation] confirmation
    [secret] secret
    [audit] audit
    [report] document
   *[other] {$kind}
}
portal-outcome-success = success
portal-outcome-failure = failure
portal-col-seq = #
portal-col-started = Started
portal-col-kind = Kind
portal-col-subject = Subject
portal-col-outcome = Outcome
portal-col-duration = Duration
portal-col-what = What it says
portal-newer = Newer
portal-older = Older

## A tenant's pages

portal-tab-dashboard = Dashboard

## The plan

portal-plan-title = Plan
portal-plan-summary = Version {$version}, accepted {$when} from {$by}.
portal-plan-saved = Version {$version} is saved and active; its jobs follow it.
portal-plan-file = This plan is the file {$file} on the server: edit it there (a reload of rempart serve takes it).
portal-plan-read-only = Your account may read this plan, not change it.
portal-plan-editor = The plan file
portal-plan-editor-help = rempart.toml. It is checked like “rempart plan check” before it is saved: nothing is stored while it has an error.
portal-plan-save = Check and save
portal-plan-findings = { $count ->
    [one] 1 finding: nothing was saved
   *[other] {$count} findings: nothing was saved
}
portal-plan-at = line {$line}, column {$column}
portal-plan-versions = Versions
portal-col-version = Version
portal-col-when = When
portal-col-by = From
portal-col-author = Rights
portal-plan-author-msp = MSP (every feature)
portal-plan-author-client = client (trust rules)
portal-plan-changes = What changed
portal-plan-diff = What version {$version} changed
portal-plan-no-change = No line changed.

## Jobs and drills

portal-jobs-title = Jobs and drills
portal-running = Running now
portal-nothing-running = Nothing is running.
portal-job-kind = { $kind ->
    [backup] backup
    [verify] verification
    [drill] drill
    [evidence-audit] evidence audit
    [adopt] adoption
   *[other] {$kind}
}
portal-job-running = {$kind} {$subject}, started {$ago}
portal-job-running-now = running now
portal-job-on-demand = on demand
portal-job-never = never ran
portal-job-succeeded = succeeded {$ago}
portal-job-failed = failed {$ago}
portal-job-queued = The job is queued: a server starts it in a moment.
portal-job-already-running = This job is running already; it runs again on its schedule.
portal-jobs = Scheduled jobs
portal-col-job = Job
portal-col-schedule = Schedule
portal-col-next = Next run
portal-col-last = Last run
portal-run-now = Run now
portal-no-job = No job: the plan schedules nothing yet.
portal-drills = Recent drills
portal-col-scenario = Scenario
portal-col-result = Result
portal-drill-result-passed = passed
portal-drill-result-failed = failed
portal-drill-now = Drill “{$scenario}” — run {$run}
portal-step-done = done in {$duration}
portal-step-failed = failed after {$duration}
portal-step-running = running
portal-step-waiting = waiting for a person
portal-step-pending = to come
portal-step-manual-who = {$what} (expected from {$who})
portal-step-confirm = Confirm: done
portal-step-note = What was checked (optional)
portal-step-confirmed = The step is confirmed in your name; the drill goes on.
portal-step-gone = This step cannot be confirmed any more: the drill moved on or ended.

## Charts

portal-uptime-heading = Uptime — the last 90 days
portal-uptime-label = Uptime of {$monitor}, one bar a day
portal-uptime-day = {$date}: {$percent}
portal-uptime-day-none = {$date}: no check
portal-uptime-days = {$from} to {$to}: {$percent} each day
portal-uptime-days-none = {$from} to {$to}: no check
portal-uptime-month = this month: {$percent}
portal-uptime-month-target = this month: {$percent}, target {$target}
portal-uptime-month-none = no check this month yet
portal-trend-label = Achieved RTO of {$process}, drill after drill
portal-trend-target = target {$target}
portal-trend-point = {$date}: {$rto}

## A tenant's status page

portal-status-up = operational
portal-status-down = outage
portal-status-unreachable = unreachable
portal-status-since = since {$when}
portal-status-all-up = All services are operational.
portal-status-degraded = Some services cannot be reached.
portal-status-outage = Some services are down. Our teams are on it.
portal-status-unknown = Some services have not been checked yet.
portal-status-updated = Updated {$when}
portal-status-powered = watched by Rempart
portal-status-missing = No status page here
portal-status-missing-text = There is no public status page at this address.

## People

portal-users-title = People
portal-users-role = Role
portal-users-locked = locked
portal-users-reset = New password
portal-users-remove = Remove
portal-users-add-heading = Add a person
portal-users-add = Add, with a new password
portal-users-handed = Here is the password, shown this once: hand it over by a safe way; they can change it in their account.
portal-users-removed = {$email} can no longer log in; their sessions are ended.
portal-users-link = People

## Maintenance windows
portal-maintenance-title = Maintenance
portal-maintenance-intro = During a maintenance window the monitors it covers raise no alert and their checks are counted apart from the SLA. Recurring windows are written in the plan.
portal-maintenance-none = No maintenance window planned.
portal-maintenance-when = When
portal-maintenance-reason = Reason
portal-maintenance-by = Set by
portal-maintenance-now = under way
portal-maintenance-remove = Remove
portal-maintenance-add-heading = Plan a maintenance window
portal-maintenance-start = Start
portal-maintenance-end = End
portal-maintenance-zone = Times in { $zone }.
portal-maintenance-all = every monitor
portal-maintenance-all-hint = (none ticked: every monitor)
portal-maintenance-add = Add the window
portal-maintenance-added = The maintenance window is added.
portal-maintenance-removed = The maintenance window is removed.
portal-maintenance-bad-time = { $field }: give a date and a time.
portal-maintenance-end-first = The end must come after the start.
portal-maintenance-over = This window is already over.
portal-maintenance-reason-needed = Give a reason (at most { $max } characters).
portal-maintenance-unknown-monitor = No such monitor in the plan: { $monitors }.

## Tenants (the MSP's clients)
portal-tenants-title = Clients
portal-tenants-link = Clients
portal-tenants-id = Identifier
portal-tenants-name = Name
portal-tenants-managed = Plan kept in
portal-tenants-file = the file { $path } on the server
portal-tenants-api = the portal and the API
portal-tenants-version = Plan
portal-tenants-no-plan = no plan yet
portal-tenants-created = Added
portal-tenants-add-heading = Add a client
portal-tenants-id-hint = Letters, digits, “-”, “_” and “.”; used in addresses, it cannot change.
portal-tenants-add = Add the client and write its plan
portal-tenants-name-needed = Give the client's name.
portal-tenants-exists = There is already a client “{ $id }”.
portal-tenants-bad-id = “{ $id }” cannot be an identifier: { $why }

# Documents and audit
portal-documents-title = Documents
portal-documents-intro = The continuity documents, made on demand from the plan and the evidence: every figure in them cites its evidence record, and each download is kept as a “report” record with its SHA-256.
portal-documents-docs = Download
portal-documents-about-pra = How to restart after a disaster: the crisis cell, each runbook timed at its latest drill, and how to restore every backup with restic alone.
portal-documents-about-pca = The business impact analysis, the dependencies, redundancy and failover as measured, 3-2-1-1-0 per backup and the risk register.
portal-documents-about-sla = The month's service report: uptime against the targets, outages, RTO/RPO compliance, drills, backups and verifications.
portal-documents-about-drill = What an auditor asks for after a restore test: one drill run's steps, times, output digests and verdict.
portal-documents-about-audit = The plan and its evidence held against ISO 22301, NIST SP 800-34, DORA and NIS2, with the risk register.
portal-documents-about-crisis = A crisis' post-incident report: the cell's answers, the downtime and data lost against the RTO and RPO, the regulatory deadlines, the decisions, the corrective actions and the whole timeline.
portal-documents-in-english = PDF in English
portal-documents-in-french = PDF in French
portal-documents-month = Month
portal-documents-run = Run
portal-documents-no-runs = No drill has run yet.
portal-documents-audit = Compliance audit
portal-documents-audit-summary = { $pass } rules pass, { $fail } fail, { $high } of them high.
portal-documents-audit-clear = Every rule that applies passes.
portal-documents-regression = regression
portal-documents-passing-note = Only the failing findings are listed here; the audit document lists them all, with the regulatory mapping.
portal-documents-failed = The document could not be made; the error is in the server's log.
portal-problem = Something went wrong

## Crisis page
portal-crisis-title = Crisis
portal-crisis-declare-heading = Declare a crisis
portal-crisis-declare-intro = The crisis cell is called at once, in the plan's order; whoever does not answer in time is passed over to their alternate. Everything done here is kept in the evidence chain.
portal-crisis-title-label = What is happening
portal-crisis-severity = Severity
portal-crisis-severity-level = { $level ->
    [1] 1 — major (business stopped)
    [2] 2 — serious (vital process down)
    [3] 3 — limited (degraded service)
   *[4] 4 — minor
}
portal-crisis-processes = Processes down
portal-crisis-scenarios = Recovery scenarios to follow
portal-crisis-exercise = Exercise
portal-crisis-no-exercise = No: a real crisis
portal-crisis-adhoc = An exercise not prepared in the plan
portal-crisis-significant = Significant incident (NIS2 art. 23: 24 h, 72 h and 1 month deadlines)
portal-crisis-personal = Personal data involved (GDPR art. 33: 72 h)
portal-crisis-declare = Declare the crisis
portal-crisis-past = Past crises
portal-crisis-lasted = closed after { $lasted }
portal-crisis-declared = Declared { $at } by { $by } ({ $lasted } ago, evidence #{ $seq })
portal-crisis-clock-submitted = submitted { $at }
portal-crisis-clock-overdue = overdue by { $late }
portal-crisis-clock-left = { $left } left
portal-crisis-submitted = Record as submitted
portal-crisis-reference = Reference (optional)
portal-crisis-start = Start
portal-crisis-done = Done
portal-crisis-skip = Skip
portal-crisis-run = Run it now
portal-crisis-notes = Note or decision
portal-crisis-note-label = Note
portal-crisis-decision = This is a decision
portal-crisis-note-button = Add to the timeline
portal-crisis-messages = Messages
portal-crisis-send = Send
portal-crisis-action-id = Short id
portal-crisis-action-due = Due date
portal-crisis-action-add = Add the action
portal-crisis-action-done = Mark done
portal-crisis-timeline = Timeline
portal-crisis-recovered-label = A process works again
portal-crisis-recovered = Mark as recovered
portal-crisis-close-heading = Close the crisis
portal-crisis-close-intro = Each affected process's achieved RTO and data lost are measured from the evidence; the post-incident report is made from it.
portal-crisis-close = Close the crisis
portal-crisis-answer-for = Answer taken by phone for
portal-crisis-recorded = Recorded in the crisis timeline.
portal-crisis-audience = { $audience ->
    [staff] Staff
    [clients] Clients
    [suppliers] Suppliers
   *[authorities] Authorities
}
portal-crisis-proposed = Rempart proposes a crisis: { $process } has been down since { $since }, past half its RTO ({ $rto }). Confirm by declaring it below.
portal-crisis-proposed-title = { $process } is down
portal-status-updates = Incident updates
portal-crisis-open-link = open the Crisis tab
portal-crisis-inject-heading = Exercise: send the cell an event
portal-crisis-inject = Send the event
portal-crisis-report = Post-incident report (PDF)
portal-overview-crisis = { $exercise ->
    [yes] EXERCISE
   *[no] CRISIS
}
