/** Help texts: `stellantis --help` and `stellantis <command> --help`. */
import { DOCTOR_HELP } from '../doctor/help';

const COMMON_OPTIONS = `Options for every account command:
  --config <file.json>    the account configuration (the same object as the Homebridge/Node-RED config)
  --base-url <url>        override the API base URL
  --access-token <token>  use this access token as is (no refresh, nothing stored)
  --storage <dir>         where tokens and the callback id are kept (default ~/.stellantis)
  --debug                 more detail on errors (stack traces)
  -h, --help              this help`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  doctor: DOCTOR_HELP,
  login: `Usage: stellantis login --config <file.json>

Logs in with your brand account (OAuth2): prints the authorization URL to open in a browser;
after logging in, paste the whole URL the browser was redirected to (or just its code).
The tokens are stored (mode 0600) in the storage folder.

${COMMON_OPTIONS}`,
  vehicles: `Usage: stellantis vehicles --config <file.json>

Lists the vehicles of the account: id, VIN, brand and model. Copy the ids into vehicles[].id.

${COMMON_OPTIONS}`,
  status: `Usage: stellantis status <vehicle> [--raw] --config <file.json>

Reads the vehicle's last known status (never wakes the car): charging with its deferred start and
its charging programs, preconditioning and its programs, doors, position... <vehicle> is its id or
its configured name (case-insensitive).
  --raw   print the API's JSON as is

${COMMON_OPTIONS}`,
  home: `Usage: stellantis home <vehicle> --here [--radius <m>] --config <file.json>

Sets the car's home zone (vehicles[].home in the --config file) to where it is parked now: from
what the account last knew, else one status read (never wakes the car). The zone drives the
"Car at Home" sensor and the Node-RED events arrived/left (docs/monitors.md).
  --here          use the car's current position
  --radius <m>    the zone's radius in metres (50 to 50000, default 150)

${COMMON_OPTIONS}`,
  send: `Usage: stellantis send <vehicle> <action> [params] [--wait [--timeout <s>]] --config <file.json>

Sends one remote action and prints its remote action id. It first checks what the car can do: from
what Homebridge or Node-RED saved in the storage folder, else with one vehicle read
(GET .../vehicles/{id}, its onboard capabilities). An action the car says it cannot do is refused
there, with exit code 1 and the capability named, and nothing is sent; so is a refresh while the
last known 12 V level is under lowAuxBatteryPercent.
Actions:
  lock | unlock | horn | lights | refresh
  precondition-on | precondition-off
  charge-start | charge-stop | charge-at <HH:MM|RFC3339>
  charge-limit <20..100|off>                kept by the car's charging preferences where it has them,
                                            else by the running plugin's monitor (one stop per charge)
  navigate <lat,lon> [<lat,lon> ...]       up to 10 points, the last one is the destination
  immobilize | mobilize | stolen-on | stolen-off   (fleet accounts only)
  program-set --slot N --days Mon,Tue --start 07:30 [--disabled]
  program-delete --slot N
  charge-program --slot N --days Mon-Fri --start 22:30 [--end 06:30] [--disabled]
                                            one charging program (off-peak window), merged into the
                                            car's list (one status read, never a wake-up), then the
                                            whole list sent; no --end: until the car stops by itself
  charge-program-delete --slot N            the programs after it move up one slot
  --wait         follow the action until the car answers, printing each step
  --timeout <s>  how long --wait waits (default 180)

${COMMON_OPTIONS}`,
  callbacks: `Usage: stellantis callbacks [list | delete <id> | delete --all-ours] --config <file.json>

Lists the webhook callbacks registered for the account, or deletes one, or deletes every callback
carrying this configuration's label (webhook.label).
  --all-ours   with delete: every callback with our label

${COMMON_OPTIONS}`,
  simulate: `Usage: stellantis simulate [--port N] [--vehicles N] [--time-scale X] [--debug]

Runs the built-in Stellantis simulator until Ctrl-C. Point a configuration at it with
"simulator": true and the URLs it prints.
  --port N          listening port (default 7700)
  --vehicles N      number of simulated cars (default 2)
  --time-scale X    1 = real timing, 0.1 = ten times faster (default 1)
  --debug           log every request and notification`,
};

export const MAIN_HELP = `Usage: stellantis <command> [options]

Control Peugeot, Citroën, DS, Opel and Vauxhall cars through the official Stellantis API.

Commands:
  login       log in (OAuth2) and store the tokens
  vehicles    list the account's vehicles
  status      show a vehicle's status
  home        set a vehicle's home zone to where it is parked (--here)
  send        send a remote action (lock, unlock, charge-start, navigate, ...)
  callbacks   list or delete the webhook callbacks
  simulate    run the built-in simulator
  doctor      check the whole setup (certificate, login, API, callback, listener) and say what to fix

Run 'stellantis <command> --help' for the options of a command.`;
