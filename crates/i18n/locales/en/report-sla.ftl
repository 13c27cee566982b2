# The monthly SLA report (rempart-report, kind sla) and its e-mail.
