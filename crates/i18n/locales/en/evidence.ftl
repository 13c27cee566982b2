# What evidence records say, in English: kept with each record as a key
# and its variables (measurements.say), said in the reader's language.
# The stored message of a record is this English text.

said-backup-snapshot = snapshot { $snapshot } on { $repository } ({ $site })
said-drill-passed = passed: recovery took { $rto }
said-drill-passed-rpo = passed: recovery took { $rto }, restored data { $rpo } old
said-step-restored = restored snapshot { $snapshot } of "{ $backup }" from { $repository } ({ $site }): { $files ->
    [one] 1 file
   *[other] { $files } files
}, { $bytes ->
    [one] 1 byte
   *[other] { $bytes } bytes
}
said-step-exit = exit { $code }
said-probe-exit = exit { $code } in { $ms } ms
said-probe-exit-unexpected = exit { $code } (expected { $want }) in { $ms } ms
said-retention = { $backup }: retention on { $repository } ({ $site }) kept { $kept ->
    [one] 1 snapshot
   *[other] { $kept } snapshots
}, forgot { $forgotten }
said-retention-not-applied = { $backup }: retention not applied: { $why }
said-probe-http = GET { $url }: status { $status } in { $ms } ms
said-probe-tcp = { $address } accepts connections ({ $ms } ms)
said-probe-tls = { $address }: certificate valid, expires in { $days ->
    [one] 1 day
   *[other] { $days } days
}
said-probe-dns = { $name } { $rtype } { $values } in { $ms } ms
said-probe-icmp = { $host } ({ $ip }): { $mean } ms mean round trip, { $loss }% loss
said-probe-backup = newest restore point of "{ $backup }" is { $age } old
said-heartbeat-failed = the job reported a failure (exit { $exit }) at { $at }
said-heartbeat-failed-output = the job reported a failure (exit { $exit }) at { $at }; its output ends with:{ $output }
said-heartbeat-hung = the job started at { $at } and has not finished within { $grace }
said-heartbeat-late = no ping since { $last } (expected by { $expected }, grace { $grace })
said-heartbeat-never = never pinged (expected by { $expected }, grace { $grace })
said-heartbeat-last = last ping at { $at }
said-heartbeat-waiting = waiting for the first ping
said-step-sql = database { $database }: { $value }
said-step-up-after = up after { $polls ->
    [one] 1 poll
   *[other] { $polls } polls
}: { $seen }
said-step-down-after = down after { $polls ->
    [one] 1 poll
   *[other] { $polls } polls
}: { $seen }
said-step-confirmed = confirmed by { $by }
said-step-confirmed-note = confirmed by { $by }: { $note }
said-step-queued = queued for { $receivers }
evidence-alert-acked = alert {$alert} ({$monitor}) acknowledged by {$by} ({$via})
said-notification-delivered = "{ $subject }" delivered to { $to } after { $attempts } attempt(s)
said-notification-given-up = "{ $subject }" not delivered to { $to } (given up after { $attempts } attempt(s)): { $why }
