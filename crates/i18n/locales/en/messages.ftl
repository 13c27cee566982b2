# Messages sent to people (alerts, reminders, escalations), in English.

alert-down-subject = [DOWN] { $name }
alert-up-subject = [UP] { $name }
alert-root-cause = Root cause: also affected (they depend on it): { $children }
alert-back-after = Back after { $lasted } down.
alert-reminder = Reminder: still down and not acknowledged after { $waited }.
alert-escalated = Still down and not acknowledged after { $waited }: escalated (level { $level }).

# The acknowledgement page an alert's link opens (on a phone, often).

ack-unknown-link-title = Unknown link
ack-unknown-link = This acknowledgement link is unknown or altered.
ack-expired-title = Link expired
ack-expired = This link expired on { $when }. Acknowledge alert #{ $id } from a newer message, or with { $command }.
ack-unavailable-title = Server unavailable
ack-unavailable = The server cannot answer right now: try again in a moment.
ack-title = Alert #{ $id }
ack-state-over = over since { $when }
ack-state-acknowledged = acknowledged on { $when } ({ $by })
ack-state-open = open, not acknowledged
ack-fact-monitor = Monitor
ack-fact-since = Since
ack-fact-state = State
ack-fact-sent-to = Sent to
ack-button = Acknowledge: I'm on it
ack-button-explained = Acknowledging stops the escalation: the next levels will not be told.
ack-done-page = Alert acknowledged: the escalation stops.
ack-already-page = This alert was already acknowledged.
ack-unknown-alert-title = Unknown alert
ack-unknown-alert = This alert no longer exists.

# Several alerts to one receiver, sent together; the e-mail footer; a drill's notify step.

alert-grouped-down-subject = [DOWN] { $count } monitors: { $names }
alert-grouped-up-subject = [UP] { $count } monitors: { $names }
mail-footer = Sent by Rempart
drill-notify-subject = Drill { $scenario } — { $step }
