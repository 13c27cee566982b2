## Findings of the plan check: what is wrong in a plan, and how to fix it.

finding-error = error
finding-warning = warning
finding-hint = hint: {$hint}

## Pieces of sentences

# An element of the plan, named: process "erp".
plan-owner = { $kind ->
    [crisis_task] crisis task
    [crisis_message] crisis message
   *[other] {$kind}
} "{$id}"
plan-kind-a = { $kind ->
    [asset] an asset
    [escalation] an escalation
    [crisis_task] a crisis task
    [crisis_message] a crisis message
    [exercise] an exercise
   *[other] a {$kind}
}
plan-kinds-or = {$init} or {$last}
plan-kinds-and = {$init} and {$last}
plan-what = { $what ->
    [organization-name] the organization name
    [process-name] a process name
    [path] a path
    [command] the command
    [host] the host name
    [tag] a tag
    [target] the target
    [step-name] a step name
    [query] the query
    [address] the address
    [duration] the duration
    [title] the title
    [subject] the subject
    [text] the text
   *[other] {$what}
}
plan-status-page = the status page
plan-status-page-no-title = The status page has no title: people opening it would not know whose it is.
plan-status-page-empty = The status page lists no monitor: it would show nothing.
plan-sla-target = an SLA target
plan-sla-report = the monthly SLA report
plan-runs-every = runs every {$every}
plan-runs-cron = ("{$cron}") runs as much as {$gap} apart
plan-hint-example = e.g. {$example}
plan-did-you-mean = did you mean "{$word}"?

## References and ids

plan-duplicate-id = duplicate {$section} id "{$id}": {$section}[{$first}] already has it
plan-duplicate-risk-id = duplicate risk id "{$id}"
plan-hint-unique-ids = ids must be unique within a section; rename one of them
plan-dangling-reference = {$owner} refers to "{$id}", which is not {$kinds} of this plan
plan-hint-declare = declare it in a [[{$section}]] section
plan-hint-known = known: {$list}
plan-ambiguous-reference = {$owner} refers to "{$id}", which is both {$kinds}
plan-hint-different-ids = give them different ids
plan-repeated-reference = {$owner} lists "{$id}" twice
plan-hint-remove-repetition = remove the repetition
plan-cycle = { $kind ->
    [monitor] monitor
   *[other] dependency
} cycle: {$names}
plan-hint-cycle = break the cycle: something must be able to start first

## Values

plan-empty = {$what} cannot be empty
plan-zero-duration = {$what} cannot be 0s
plan-hint-positive-duration = give a positive duration, e.g. "30s"
plan-bad-url = {$what} "{$url}" is not an http:// or https:// URL
plan-score-out-of-range = {$owner} has {$what} = {$value}, outside 1..5
plan-hint-score = {$what} goes from 1 (lowest) to 5 (highest)
plan-bad-timezone = "{$tz}" is not a known time zone
plan-hint-timezone = use an IANA time zone name, e.g. "Europe/Paris"

## Processes

plan-rto-above-mtpd = {$owner} has rto = {$rto} but mtpd = {$mtpd} — the RTO must be below the MTPD
plan-hint-rto-above-mtpd = lower the rto to {$mtpd} or less, or raise the mtpd
plan-impacts-out-of-order = {$owner}'s impacts are not in increasing order of `after`
plan-hint-impacts-order = list impacts from the shortest outage to the longest
plan-rpo-unreachable = {$owner} has rpo = {$rpo} but backup "{$backup}" of asset "{$asset}" {$how}: the data written between two runs could be lost
plan-hint-rpo-unreachable = back up "{$asset}" at least every {$rpo}, or raise the rpo to {$gap}
plan-vital-without-owner = vital process "{$id}" has no owner
plan-hint-vital-owner = add owner = "<contact id>": someone answers for it in a crisis
plan-vital-without-backup = vital process "{$id}" has no backup protecting the assets it depends on
plan-hint-vital-depends-on = list the assets it needs in depends_on, and add a [[backup]] that protects them
plan-hint-vital-backup = add a [[backup]] whose protects lists one of: {$list}
plan-vital-without-scenario = vital process "{$id}" has no recovery scenario
plan-hint-vital-scenario = add a [[scenario]] with process = "{$id}", so its recovery is drilled and measured

## Repositories and backups

plan-verify-within-too-short = {$owner}: verify_within = "{$within}" is shorter than a day; the data is read back one slice a day
plan-hint-verify-within = use whole days: verify_within = "1d" reads everything every day
plan-s3-option-on-local = {$owner} is a local directory; `{$key}` only applies to s3:// locations
plan-hint-s3-option = remove `{$key}`, or set location = "s3://bucket/prefix"
plan-immutable-unenforced = {$owner} is a local directory: Rempart cannot verify that it is immutable
plan-hint-immutable = count on an immutable copy only where the storage enforces it (S3 object lock, WORM)
plan-incomplete-credentials = {$owner} has only one of access_key_id and secret_access_key
plan-hint-credentials = give both, or neither to use the environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
plan-unused-repository = {$owner} is the target of no backup
plan-hint-unused-repository = add it to a backup's targets, or remove it
plan-protects-nothing = {$owner} protects no asset, so it counts toward no process's RPO
plan-hint-protects = add protects = ["<asset id>"]
plan-no-path = {$owner} has no path to back up
plan-bad-filename = {$owner}'s filename must be a plain file name
plan-no-target = {$owner} has no target repository
plan-hint-no-target = list repository ids; the first is the primary copy
plan-single-site = every copy of {$owner} is on site "{$site}": not 3-2-1, one incident there loses them all
plan-hint-single-site = add a target repository on another site, ideally off-site and immutable
plan-empty-retention = {$owner}'s retention keeps nothing
plan-hint-retention = say what to keep, e.g. retention = {"{"} daily = 7, weekly = 4, monthly = 12 {"}"}, or remove it to keep everything

## Monitors

plan-heartbeat-target = {$owner} is a heartbeat: the job pings Rempart, there is no target
plan-hint-heartbeat-target = remove `target`; give `period` and `grace`
plan-needs-target = {$owner} of kind {$kind} needs a `target`
plan-hint-target-backup = target = "<backup id>"
plan-hint-target-command = target = "<shell command>"
plan-watches-no-backup = {$owner} watches "{$target}", which is not a backup id
plan-bad-target = {$owner}'s target "{$target}" is not host:port
plan-heartbeat-period = {$owner} is a heartbeat and needs a `period`: when the job is expected to ping
plan-hint-heartbeat-period = e.g. period = "every 1d" or "0 2 * * *", grace = "1h"
plan-heartbeat-interval = {$owner} is a heartbeat: it has a `period`, not an `interval`
plan-hint-heartbeat-interval = rename `interval` to `period`
plan-heartbeat-only = `{$key}` only applies to heartbeat monitors
plan-needs-interval = {$owner} needs an `interval`: how often to check
plan-ca-only = `ca` only applies to tls and http monitors, and {$owner} is of kind {$kind}
plan-http-only = `{$key}` only applies to http monitors, and {$owner} is of kind {$kind}
plan-ca-unused = {$owner} does not verify certificates (tls_verify = false): its `ca` is never used
plan-bad-pattern = {$owner}'s `expect.body_matches` is not a regular expression: {$why}
plan-bad-json-path = {$why}
plan-zero-count = {$owner}'s `{$key}` cannot be 0
plan-hint-zero-count = count checks in a row from 1 (1 = at the first check)
plan-hint-no-expect = a {$kind} monitor takes no `expect`
plan-hint-expect-keys = a {$kind} monitor checks: {$list}
plan-expect-not-applicable = `expect.{$key}` does not apply to {$owner} of kind {$kind}
plan-no-default-escalation = monitor "{$id}" names no escalation and there is no escalation with id "default": its alerts would reach nobody
plan-hint-default-escalation = add an [[escalation]] with id = "default"

## Channels, maintenance, escalations, people, scenarios, SLA

plan-no-recipient = email channel "{$id}" has no recipient
plan-bad-email = "{$address}" is not an e-mail address
plan-bad-time = {$owner}'s {$key} "{$text}" is not an RFC 3339 time
plan-empty-window = {$owner} ends before it starts
plan-maintenance-every = {$owner} recurs on "{$schedule}", which says how often but not when
plan-hint-maintenance-cron = give a cron pattern, e.g. "0 22 * * 2" for Tuesdays at 22:00
plan-maintenance-when = {$owner} needs either `start` and `end` (one-off) or `schedule` and `duration` (recurring)
plan-no-step = {$owner} has no step
plan-step-notifies-nobody = step {$step} of {$owner} notifies nobody
plan-escalation-out-of-order = step {$step} of {$owner} comes before the step above it
plan-hint-escalation-order = list steps in increasing order of `after`
plan-own-alternate = {$owner} is listed as their own alternate
plan-unreachable-contact = {$owner} has neither phone nor email: nobody can reach them in a crisis
plan-hint-reach-contact = add phone = "+33 …" or email = "…"
plan-no-member = {$owner} has no member
plan-no-copy-at-site = backup "{$backup}" has no target repository on site "{$site}": there is nothing to restore from there
plan-hint-copy-at-site = pick a site that holds one of the backup's target repositories
plan-two-sla-targets = monitor "{$monitor}" has two SLA targets
plan-report-to-no-email = contact "{$contact}" is to receive the monthly SLA report by e-mail, but has no e-mail address
plan-hint-contact-email = add email = "…" to contact "{$contact}"
plan-uptime-out-of-range = uptime = {$uptime} is not a percentage above 0 and at most 100
plan-crisis-cell = the crisis cell
plan-crisis-role-without-alternate = {$owner} holds a role in the crisis cell but has no alternate: if they cannot be reached, nobody takes their place
plan-hint-crisis-alternate = add alternates = ["…"] with another contact's id
plan-crisis-message-to-nobody = {$owner} is addressed to nobody
plan-crisis-unknown-placeholder = {$owner} uses {$placeholder}, which Rempart does not fill
plan-hint-crisis-placeholders = the placeholders filled are {$list}
