# Rempart's command line, in English.
# Each message has its French twin in ../fr/cli.ftl, with the same variables
# (crates/i18n/tests/catalogue.rs checks it).

## Counts, with the language's plural rules

count-copies = { $count ->
    [one] 1 copy
   *[other] { $count } copies
}
count-sites = { $count ->
    [one] 1 site
   *[other] { $count } sites
}
count-errors = { $count ->
    [one] 1 error
   *[other] { $count } errors
}
count-warnings = { $count ->
    [one] 1 warning
   *[other] { $count } warnings
}
count-outages = { $count ->
    [one] 1 outage
   *[other] { $count } outages
}
count-checks-in-maintenance = { $count ->
    [one] 1 check in maintenance
   *[other] { $count } checks in maintenance
}
count-records-checked = { $count ->
    [one] 1 record checked
   *[other] { $count } records checked
}
count-records-removed = { $count ->
    [one] 1 record started before { $before } removed; the removal is logged and the chain still verifies
   *[other] { $count } records started before { $before } removed; the removal is logged and the chain still verifies
}

## Words shared by several commands

tenant-heading = { $organization } (tenant "{ $tenant }") — { $what }
time-ago = { $duration } ago
for-duration = for { $duration }
outcome-success = passed
outcome-failure = FAILED
step-outcome-success = ok
step-outcome-failure = failed

## rempart status

status-title = measured status of each process (measured/target)
status-col-process = PROCESS
status-col-criticality = CRITICALITY
status-col-status = STATUS
status-col-rto = RTO
status-col-rpo = RPO
status-col-last-drill = LAST DRILL
status-last-drill = { $run } { $outcome }, { $ago }
status-no-drill = no drill yet
status-rule-title = 3-2-1-1-0 rule of each backup
status-rule-line = { $copies_ok } { $copies }, { $sites_ok } { $sites }, { $offsite_ok } off-site, { $immutable_ok } immutable, { $errors_ok } { $errors }

## rempart monitors

monitors-title = monitors
monitors-col-monitor = MONITOR
monitors-col-kind = KIND
monitors-col-state = STATE
monitors-col-since = SINCE
monitors-col-checked = LAST CHECK
monitor-state-up = up
monitor-state-down = DOWN
monitor-state-unreachable = unreachable
monitor-state-unknown = unknown
monitor-never-checked = never checked
monitor-flapping = flapping
monitor-maintenance = maintenance { $window }

## rempart sla

sla-title = SLA { $month } ({ $timezone })
sla-col-monitor = MONITOR
sla-col-uptime = UPTIME
sla-col-target = TARGET
sla-col-outages = OUTAGES
sla-no-check = no check
sla-target-met = { $target } %: met
sla-target-breached = { $target } %: BREACHED
sla-target = { $target } %
sla-no-target = no target
sla-counts = { $outages }, { $down } down, { $maintenance }
sla-days-below = days under 100 %: { $days }
sla-outage-down = down
sla-outage-unreachable = unreachable
sla-outage-ongoing = ongoing

## rempart drill

drill-none-yet = no drill has run yet (rempart drill run SCENARIO)
drill-col-run = RUN
drill-col-started = STARTED
drill-col-outcome = OUTCOME
drill-col-rto = RTO
drill-col-rpo = RPO
drill-col-message = MESSAGE
drill-show-heading = drill { $run } — scenario "{ $scenario }" — { $outcome }
drill-show-running = drill { $run } — scenario "{ $scenario }" — still running (or stopped before its end)
drill-col-step = STEP
drill-col-kind = KIND
drill-col-duration = DURATION
drill-step-output = output { $bytes } bytes, sha256 { $digest }
drill-no-run = no drill run "{ $run }" (see rempart drill list)
drill-confirmed = step { $step } of drill { $run } confirmed by { $by } (evidence #{ $seq })

## rempart evidence

evidence-intact = { $tenant }: intact — { $checked }
evidence-broken = { $tenant }: BROKEN — { $why }
evidence-no-tenant = no tenant in the store
evidence-pruned = { $tenant }: { $removed }
evidence-tenant = tenant "{ $tenant }"
evidence-none = no evidence matches
evidence-col-seq = #
evidence-col-started = STARTED
evidence-col-kind = KIND
evidence-col-subject = SUBJECT
evidence-col-outcome = OUTCOME
evidence-col-duration = DURATION
evidence-col-message = MESSAGE

## rempart plan check

plan-summary-valid = { $file }: { $errors }, { $warnings } — the plan is valid
plan-summary-invalid = { $file }: { $errors }, { $warnings } — the plan is not valid

## rempart init

init-wrote = Wrote { $file }
init-next = Edit it to describe your organisation, then run: rempart plan check -c { $file }
init-exists = { $file } already exists; it was left untouched (use --force to replace it)

## rempart repo init

repo-created = { $id }: created at { $location }
repo-created-sharing = { $id }: created at { $location }, sharing the master key of "{ $peer }" (another site of the same backups: copies move files as they are)
repo-existing = { $id }: already there at { $location }, password checked
repo-version-1 = { $id }: a restic version-1 repository: data is stored uncompressed (`restic migrate upgrade_repo_v2` enables compression)

## rempart backup run

backup-action-backup = backup
backup-action-copy = copy
backup-site-done = { $backup }: { $action } to { $repository } ({ $site }) — snapshot { $snapshot } in { $duration }; files: { $new } new, { $changed } changed, { $unchanged } unchanged; { $added ->
    [one] 1 byte added
   *[other] { $added } bytes added
}
backup-site-failed = { $backup }: { $action } to { $repository } ({ $site }) FAILED — { $why }

## rempart backup list

backup-col-backup = BACKUP
backup-col-site = SITE
backup-col-repository = REPOSITORY
backup-col-snapshot = SNAPSHOT
backup-col-time = TIME
backup-col-files = FILES
backup-col-bytes = BYTES
backup-col-origin = ORIGIN
backup-origin-adopted = adopted
backup-origin-other = other
backup-origin-detail = { $origin }: { $program } on { $host }: { $paths }
backup-origin-another-tool = another tool
backup-list-none = no snapshot (--all lists those of no backup too)
backup-list-none-all = no snapshot

## rempart verify and repair

verify-sound = { $id }: sound ({ $duration })
verify-sound-read = { $id }: sound ({ $duration }, { $share } of the data read)
verify-damaged = { $id }: DAMAGED — { $count ->
    [one] 1 problem
   *[other] { $count } problems
}
verify-damaged-pack = damaged pack { $pack }
verify-snapshot-hit = snapshot { $snapshot } { $of } ({ $time }) needs damaged data: { $count ->
    [one] 1 file or folder
   *[other] { $count } files or folders
}
verify-of-backup = of backup "{ $backup }"
verify-of-no-backup = of no backup of the plan
verify-file = file { $path }
verify-folder = folder that cannot be read { $path }
verify-more = … and { $count } more
verify-heal-hint = to heal it from another site: rempart repair { $id } --from <REPOSITORY>
repair-nothing = { $id }: nothing to heal
repair-pack-replaced = { $id }: pack { $pack } replaced by the intact copy from "{ $from }"
repair-pack-rebuilt = { $id }: pack { $pack } removed; its blobs copied again from "{ $from }"
repair-snapshots-copied = { $id }: { $count ->
    [one] 1 missing snapshot
   *[other] { $count } missing snapshots
} copied from "{ $from }"
repair-sound = { $id }: verified sound after the repair ({ $share } of the data read)
repair-read-nothing = none

## rempart restore

restore-done = { $backup }: restored snapshot { $snapshot } from { $repository } ({ $site }) into { $to } — { $files ->
    [one] 1 file
   *[other] { $files } files
}{ $symlinks }, { $bytes ->
    [one] 1 byte
   *[other] { $bytes } bytes
} in { $duration }; data from { $age } ago
restore-symlinks = { $count ->
    [one] {" "}(1 of them a symlink)
   *[other] {" "}({ $count } of them symlinks)
}

## rempart heartbeat

heartbeat-none = the plan has no heartbeat monitor
heartbeat-col-url = PING URL
heartbeat-col-period = PERIOD
heartbeat-col-last-ping = LAST PING
heartbeat-never = never
heartbeat-how = Jobs ping the URL on success, URL/start when they begin, URL/fail or URL/<exit code> when they end, URL/log to say something without changing the state; a POSTed body (the job's output) is kept, its first { $limit } bytes.

## rempart notify and ack

notify-test-subject = Rempart test message
notify-test-text = This channel receives Rempart's alerts.
notify-queued = queued for { $receivers }: `rempart serve` delivers it (see `rempart notify list`)
notify-none = no notification yet
notify-col-channel = CHANNEL
notify-col-subject = SUBJECT
notify-col-attempts = ATTEMPTS
notify-col-state = STATE
notify-sent = sent { $at }
notify-given-up = GIVEN UP { $at }
notify-queued-next = queued, next try { $at }
ack-done = alert { $id } ({ $monitor }) acknowledged by { $by }: its escalation stops
ack-already = alert { $id } ({ $monitor }) was already acknowledged by { $by } at { $at }
ack-unknown = tenant "{ $tenant }" has no alert { $id } (its number is in the alert messages)

## rempart secret, token, tenant

secret-set = secret "{ $name }" of tenant "{ $tenant }" set; its plan names it {"{"} secret = "{ $name }" {"}"}
secret-none = no secret yet (rempart secret set NAME)
secret-col-name = SECRET
secret-col-set = SET
secret-col-by = BY
secret-removed = secret "{ $name }" of tenant "{ $tenant }" removed
secret-unknown = tenant "{ $tenant }" has no secret "{ $name }"
token-created = token #{ $id } "{ $name }" created; it is shown only now:
token-col-name = NAME
token-col-scope = SCOPE
token-scope-msp = server-wide
token-scope-tenant = tenant { $tenant }
token-scope-metrics = metrics only
token-revoked = token #{ $id } revoked
token-unknown = no active token #{ $id }
tenant-none = no tenant yet
tenant-col-id = TENANT
tenant-col-name = NAME
tenant-col-plan = PLAN
tenant-col-since = SINCE
tenant-col-ruled-by = RULED BY
tenant-no-plan = no plan
tenant-plan-version = v{ $version }
tenant-exists = tenant "{ $tenant }" exists already
tenant-added = tenant "{ $tenant }" added; its plan comes through the API (PUT /api/v1/tenants/{ $tenant }/plan); a token for the client: rempart token create --tenant { $tenant } --name NAME
tenant-root-missing = { $folder } is not a folder (yet): paths under it are refused until it is
tenant-no-roots = tenant "{ $tenant }": no folder; a plan its client writes may name no local path
tenant-roots = tenant "{ $tenant }": { $folders }

## rempart drill run

drill-report-start = drill { $run }: scenario "{ $scenario }" ({ $steps ->
    [one] 1 step
   *[other] { $steps } steps
}), process "{ $process }"
drill-report-skipped = [{ $index }/{ $total }] { $step } — skipped
drill-report-step = [{ $index }/{ $total }] { $step } ({ $kind })…
drill-report-step-ok = {"      "}ok { $duration } — { $message }
drill-report-step-failed = {"      "}FAILED { $duration } — { $message }
drill-report-end = drill { $run }: { $message }
drill-report-manual = {"      "}waiting for a person: { $what } — confirm with `{ $command }` [--note …] [--by NAME]
drill-report-manual-who = {"      "}waiting for a person ({ $who }): { $what } — confirm with `{ $command }` [--note …] [--by NAME]
drill-stopping = stopping the drill: cleanup steps still run
drill-dry-run = dry run of "{ $scenario }": nothing is run or recorded
drill-dry-run-ready = ready to run
drill-dry-run-step = [{ $index }/{ $total }] { $step } ({ $kind }, timeout { $timeout })
drill-dry-run-cleanup-step = [{ $index }/{ $total }] { $step } ({ $kind }, cleanup, timeout { $timeout })

## Error and warning lines

cli-error-line = error: {$message}
cli-warning-line = warning: {$message}

## Where the plan comes from

cli-plan-missing = the plan {$file} (given with -c or $REMPART_PLAN) does not exist — write one with `rempart init`, or leave -c out to use ./{$default} or the plan the store holds
cli-store-no-plan = the store has no tenant with a plan
cli-no-store-at = no store at {$file}
cli-no-plan-found = no plan found. Tried, in order: -c and $REMPART_PLAN (neither given), ./{$default} (none in {$here}), the plan the store holds ({$store}) — write one with `rempart init`, point to it with -c FILE, or give the --data-dir of `rempart serve`
cli-no-store-start-serve = no store at {$file} — start `rempart serve` first, or give --data-dir / --database-url
cli-tenant-no-runnable-plan = tenant "{$tenant}" has no plan it may run yet (send one: PUT /api/v1/tenants/{$tenant}/plan)
cli-no-such-tenant = no tenant "{$tenant}" in this store{$list}
cli-no-tenant-for-plan = no tenant of this store is ruled by the plan {$file}{$list}
cli-which-tenant = which tenant? No plan file here (-c, $REMPART_PLAN, ./{$default}){$list}
cli-tenant-no-plan = tenant "{$tenant}" has no plan yet
cli-tenants-none = ; the store has no tenant yet (rempart serve -c FILE, or a backup or drill run with a plan file, creates one)
cli-tenant-ruled-by-file = plan file {$file}
cli-tenant-ruled-by-api = plan sent through the API
cli-tenants-name-one = ; name one with --tenant (or REMPART_TENANT):
    {$list}
cli-plan-has-errors = the plan has errors; fix them first (rempart plan check)

## Other errors

cli-metrics-token-no-tenant = a metrics token reads every tenant's gauges; it has no --tenant
cli-tenant-no-plan-no-drill = tenant "{$tenant}" has no plan: no drill runs
cli-no-backup-adopts = no backup of the plan adopts snapshots; add adopt = {"{"} host = "…", paths = ["…"] {"}"} to a [[backup]] (adopt = {"{}"} takes every snapshot of its repositories)
cli-repository-unreadable = {$backup}: repository "{$repository}" could not be read: {$why}
cli-no-such-backup = the plan has no backup "{$backup}"
cli-cannot-record = cannot record the evidence: {$why}
cli-restore-fell-back = could not restore from {$why}
cli-cannot-record-ack = cannot record the acknowledgement: {$why}
cli-cannot-create-dir = cannot create the directory {$dir}: {$why}
cli-cannot-write = cannot write {$file}: {$why}

## rempart user

user-bad-email = "{$email}" is not an e-mail address
user-short-password = the password is shorter than {$min} characters; a passphrase of a few words is easier to remember
user-tenant-needed = a {$role} belongs to one tenant: give --tenant
user-tenant-refused = a {$role} reaches every tenant: leave --tenant out
user-exists = there is already a user {$email} (rempart user passwd {$email} sets a new password)
user-unknown = no user {$email} (rempart user list shows them)
user-unknown-tenant = no tenant "{$tenant}" (rempart tenant list shows them)
user-password-prompt = Password for {$email}:{" "}
user-password-again = The same again:{" "}
user-password-mismatch = the two passwords differ; nothing was changed
user-password-none = no password on standard input (give it as the first line)
user-role-of = {$role} of {$tenant}
user-added = {$email} added ({$role}); they log in to the portal with this e-mail and password
user-none = no user yet: rempart user add EMAIL --role msp-admin creates the first
user-col-email = E-MAIL
user-col-role = ROLE
user-col-password = PASSWORD SET
user-col-state = STATE
user-locked = locked until {$until}
user-active = active
user-removed = {$email} removed; their sessions are ended
user-password-set = password of {$email} set; their other sessions are ended
demo-portal = Demo portal: {$address} — log in as one of these (the demo's passwords, new at each start):
demo-login = {"  "}demo {$role}: {$email} / {$password}

# rempart audit
audit-title = compliance audit
audit-col-rule = rule
audit-col-subject = subject
audit-col-severity = severity
audit-col-verdict = result
audit-col-detail = found
audit-col-evidence = evidence
audit-regression = { $verdict } (regression)
audit-to-fix = To fix:
audit-risks = Risk register (probability × impact; residual: with the mitigations healthy now):
audit-col-risk = risk
audit-col-inherent = declared
audit-col-residual = residual
audit-col-mitigations = mitigations
audit-mitigation-healthy = healthy
audit-mitigation-failing = failing
audit-mitigation-unmeasured = not measured yet
audit-summary = { $pass } rules pass, { $fail } fail, { $high } of them high.

# rempart report
report-written = wrote { $path } ({ $bytes } bytes, SHA-256 { $sha }), made from evidence #{ $head }; kept as evidence #{ $seq }
report-cannot-write = cannot write { $path }: { $why }
