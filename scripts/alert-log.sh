#!/bin/sh
# The example command hook of conf/stratcon.conf: appends one line per notification to
# run/stratcond/alerts.log, so `make run` shows alerting working with no pager set up.
# stratcond passes the alert in ALERT_* variables (and the whole of it as JSON in ALERT_JSON).
log="$(dirname "$0")/../run/stratcond/alerts.log"
printf '%s %-7s %-8s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$ALERT_ACTION" "$ALERT_SEVERITY" "$ALERT_SUMMARY" >> "$log"
