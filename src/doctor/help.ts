/** `stellantis doctor --help` (kept apart from the checks so that loading the help stays light). */
export const DOCTOR_HELP = `Usage: stellantis doctor --config <file.json> [--storage <dir>]

Checks everything the plugin needs, in order, and says what to fix: the configuration, the client
certificate, the stored login (one token refresh), the API (GET /user), the configured vehicles,
the webhook callback, the listener through webhook.publicUrl (health and one test notification),
and the wake-up quota. Never sends a remote and never wakes a car. Exit code 0 only if all pass.

  --config <file.json>  the account configuration (the same object as the Homebridge/Node-RED config)
  --storage <dir>       the folder Homebridge/Node-RED keep the tokens, webhook secret and wake-up
                        state in (default ~/.stellantis)
  --base-url <url>      override the API base URL
  --debug               more detail`;
