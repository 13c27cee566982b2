# The compliance audit (rempart_core::audit): rule titles, remediations,
# and what each finding found.

audit-severity-low = low
audit-severity-medium = medium
audit-severity-high = high
audit-verdict-pass = pass
audit-verdict-fail = fail
audit-verdict-na = not applicable
audit-yes = yes
audit-no = no

audit-rule-backup-32110 = 3-2-1-1-0 backup rule
audit-rule-rpo-achievable = RPO achievable with the backup schedule
audit-rule-restore-offsite = Restore tested from the off-site copy
audit-rule-verified = Backups verified within their period
audit-rule-immutable = An immutable copy confirmed by the storage
audit-rule-drilled-yearly = Vital process drilled within 12 months
audit-rule-drill-schedule = Scenario drilled on its schedule
audit-rule-rto-mtpd = RTO within the maximum tolerable period of disruption
audit-rule-alternate = Every crisis role has an alternate
audit-rule-escalation = An alert reaches a person within the RTO
audit-rule-chain = Evidence chain intact

audit-fix-backup-32110 = Keep 3 copies on 2 sites with 1 off-site and 1 immutable (object lock), and clear the verification and drill errors: add a target repository on another site, enable object lock, run `rempart verify`.
audit-fix-rpo-achievable = Back up more often than the RPO: set the backup's schedule to a gap no longer than the process's RPO, or agree a longer RPO with the process owner.
audit-fix-restore-offsite = Add a scenario step that restores this backup from its off-site site (`{"{"} restore = "…", site = "…" {"}"}`) and run the drill.
audit-fix-verified = Schedule a verification of the repository within its `verify_within` period (`rempart verify`), and fix what it finds.
audit-fix-immutable = Store one copy in a repository with object lock (S3 compliance mode) marked `immutable = true`, then verify it so that the storage confirms the lock.
audit-fix-drilled-yearly = Run a drill of one of the process's scenarios (`rempart drill run SCENARIO`) and keep a yearly schedule (`drill = "every 90d"`).
audit-fix-drill-schedule = Run the scenario's drill now (`rempart drill run SCENARIO`) and find why the scheduled runs did not pass.
audit-fix-rto-mtpd = Bring the recovery time under the MTPD: speed up the runbook or the restore, or review the BIA with the process owner.
audit-fix-alternate = Name at least one alternate for this contact (`alternates = ["…"]`) so that the role is covered when they cannot be reached.
audit-fix-escalation = Watch the process's assets with a monitor whose escalation notifies a person (a contact or an e-mail, chat or push channel) well before the RTO.
audit-fix-chain = The evidence log was altered: restore the store from a backup, keep the altered copy for the investigation, and run `rempart evidence verify`.

audit-framework-dora-11 = DORA Art. 11 — response and recovery (ICT business continuity, testing)
audit-framework-dora-12 = DORA Art. 12 — backup policies, restoration and recovery, segregated copies
audit-framework-nis2 = NIS2 implementing regulation 2024/2690, Annex §4.2 — backup and redundancy management

audit-detail-counts = { $copies } copies on { $sites } sites, off-site: { $offsite }, immutable: { $immutable }, { $errors } errors
audit-detail-schedule = the backup “{ $backup }” runs every { $gap } at worst, for an RPO of { $rpo }
audit-detail-no-backup = no backup protects this process
audit-detail-restored-offsite = restored by a passing drill from the off-site site “{ $site }”
audit-detail-restored-onsite = restored by a drill only from the site “{ $site }”, which is not off-site
audit-detail-never-restored = no passing drill has restored this backup yet
audit-detail-verified = “{ $repository }” verified { $age } ago (period { $within })
audit-detail-never-verified = “{ $repository }” has never been verified successfully
audit-detail-no-immutable = no target repository is marked immutable
audit-detail-immutable-unconfirmed = declared immutable, but no verification has confirmed the lock yet
audit-detail-immutable-confirmed = the lock on “{ $repository }” was confirmed by the storage
audit-detail-drilled = last passing drill { $age } ago (at most { $within })
audit-detail-never-drilled = no drill has passed yet
audit-detail-not-vital = not a vital process
audit-detail-no-schedule = no drill schedule
audit-detail-no-mtpd = no MTPD declared
audit-detail-mtpd-achieved = RTO { $rto }, achieved { $achieved }, MTPD { $mtpd }
audit-detail-mtpd = RTO { $rto }, MTPD { $mtpd } (RTO not measured yet)
audit-detail-alternates = { $count ->
    [0] no alternate
    [one] 1 alternate
   *[other] { $count } alternates
}
audit-detail-unwatched = no monitor watches the process's assets
audit-detail-no-human = the escalation of “{ $monitor }” notifies no person
audit-detail-reach = through “{ $monitor }”, a person is notified { $after } after the alert (RTO { $rto })
audit-detail-chain = { $checked } records verified intact up to #{ $head }, { $age } ago
audit-detail-chain-unverified = the evidence log has never been verified (the server checks it daily; `rempart audit` checks it first)
audit-detail-chain-broken = the chain breaks at record #{ $seq }

audit-recorded = audit: { $pass } rules pass, { $fail } fail ({ $high } high)
