## Crisis mode: what crisis records say, the calls and reminders sent.

# A regulatory deadline.
crisis-clock = { $clock ->
    [nis2-early-warning] NIS2 early warning (24 h)
    [nis2-notification] NIS2 incident notification (72 h)
    [nis2-final-report] NIS2 final report (1 month)
   *[gdpr] GDPR breach notification (72 h)
}

## Records
said-crisis-declared = crisis declared: { $title } (severity { $severity })
said-crisis-exercise = exercise started: { $title }
said-crisis-joined = a new declaration joined the open crisis: { $title }
said-crisis-called = { $contact } called
said-crisis-called-instead = { $contact } called in place of { $role }
said-crisis-answered = { $available ->
    [yes] { $contact } is on it
   *[no] { $contact } cannot take part
}
said-crisis-passed-over = { $contact } did not answer or cannot: { $to } is called instead
said-crisis-role-missing = nobody left to call for the role of { $role }
said-crisis-task = task “{ $task }”: { $state ->
    [todo] to do
    [started] started
    [done] done
   *[skipped] skipped
}
said-crisis-step-run = { $passed ->
    [yes] “{ $task }” run by Rempart: passed in { $duration }
   *[no] “{ $task }” run by Rempart: failed after { $duration }
}
said-crisis-note = { $decision ->
    [yes] decision: { $text }
   *[no] note: { $text }
}
said-crisis-sent = message “{ $subject }” sent to { $receivers }
said-crisis-submitted = { $clock ->
    [nis2-early-warning] NIS2 early warning
    [nis2-notification] NIS2 incident notification
    [nis2-final-report] NIS2 final report
   *[gdpr] GDPR breach notification
} submitted { $reference }
said-crisis-reminded = reminder { $level } sent: { $clock ->
    [nis2-early-warning] NIS2 early warning
    [nis2-notification] NIS2 incident notification
    [nis2-final-report] NIS2 final report
   *[gdpr] GDPR breach notification
} not submitted yet
said-crisis-injected = exercise inject: { $text }
said-crisis-recovered = { $process } is working again
said-crisis-action = corrective action: { $title }
said-crisis-action-done = corrective action { $action } done
said-crisis-closed = crisis closed after { $lasted }

## Messages
crisis-status-open = under way
crisis-status-closed = over
crisis-call-subject = [CRISIS] { $organization }: { $title }
crisis-call-text = A crisis was declared at { $declared } (severity { $severity }): { $title }.
    You are called for the crisis cell as { $role }.
    Open the link below to answer: on it, or cannot (then your alternate is called).
crisis-call-instead = { $other } did not answer or cannot: you are called in their place.
crisis-reminder-subject = [CRISIS] { $clock } — { $title }
crisis-reminder-text = { $clock } has not been submitted yet. Deadline: { $deadline } ({ $left } left). Record the submission in Rempart once it is made.
crisis-overdue-text = { $clock } is overdue: the deadline was { $deadline }. Submit it now and record the submission in Rempart.
crisis-inject-subject = [CRISIS] { $title }: new event

## Command line
crisis-cli-declared = Crisis { $id } declared: { $roles } roles of the crisis cell are being called (rempart serve sends the calls).
crisis-cli-joined = A crisis is already open ({ $id }): this declaration joined it.
crisis-cli-sent = Message queued for { $receivers }.
crisis-cli-closed = Crisis { $id } closed after { $lasted }.
crisis-cli-recorded = Recorded (evidence #{ $seq }).
crisis-cli-ran = Task { $task } run for real: passed in { $duration } (evidence #{ $seq }). { $said }
crisis-cli-ran-failed = Task { $task } run for real: failed after { $duration } (evidence #{ $seq }). { $said }
crisis-cli-heading = { $exercise ->
    [yes] EXERCISE
   *[no] CRISIS
} { $id } — { $title } (severity { $severity })
crisis-cli-declared-at = Declared { $at } by { $by } (evidence #{ $seq })
crisis-cli-cell = Crisis cell
crisis-cli-clocks = Regulatory deadlines
crisis-cli-checklist = Checklist
crisis-cli-actions = Corrective actions
crisis-cli-outcome = Measured outcome
crisis-cli-none-ever = No crisis was ever declared for this tenant.
crisis-col-role = Role
crisis-col-holder = Who
crisis-col-state = State
crisis-col-task = Task
crisis-col-title = Title
crisis-col-owner = In charge
crisis-col-time = Time
crisis-col-what = What
crisis-col-crisis = Crisis
crisis-role-state = { $state ->
    [waiting] called, no answer yet
    [on-it] on it
    [cannot] cannot, passed over
    [missing] nobody reached
   *[not-called] not called yet
}
crisis-task-state = { $state ->
    [started] started
    [done] done
    [skipped] skipped
   *[todo] to do
}
crisis-task-ran = { $passed ->
    [yes] run: passed in { $duration } (evidence #{ $seq })
   *[no] run: failed after { $duration } (evidence #{ $seq })
}
crisis-clock-submitted = { $clock }: submitted { $at }
crisis-clock-overdue = { $clock }: OVERDUE since { $deadline }
crisis-clock-due = { $clock }: due { $deadline } ({ $left } left)
crisis-action-open = open
crisis-action-done = done { $at }
crisis-closed-at = closed { $at }
crisis-rto = { $process }: back after { $rto } (RTO target { $target }; outage from evidence #{ $seq })
crisis-rpo = data lost: { $rpo } (RPO target { $target }; restore evidence #{ $seq })
crisis-rpo-not-measured = data lost: not measured (nothing was restored through Rempart)

## The answer link's page
answer-title = Crisis cell: your answer
answer-unknown-link = This answer link is unknown or altered.
answer-expired = This link expired on { $when }. Answer from a newer message, or call the crisis cell lead.
answer-state-closed = the crisis is over ({ $when })
answer-fact-organization = Organisation
answer-fact-crisis = Crisis
answer-fact-declared = Declared
answer-fact-you = You
answer-fact-state = Your answer
answer-yes = I'm on it
answer-no = I can't
answer-explained = Your answer is recorded in the crisis timeline. If you cannot, your alternate is called at once.
answer-pick = Choose one of the two buttons.
answer-done-yes = Thank you: you are recorded as on it. The crisis cell counts on you.
answer-done-no = Recorded: your alternate is being called now.
crisis-proposal-subject = [CRISIS?] { $organization }: { $process } is down
crisis-proposal-text = { $process } has been down since { $since } (monitor { $monitor }): half of its RTO ({ $rto }) is gone. Declare a crisis to call the crisis cell, from the link below or with rempart crisis declare.
crisis-cli-injected = Inject sent to the crisis cell, marked as an exercise; the cell's reaction to it is timed.
