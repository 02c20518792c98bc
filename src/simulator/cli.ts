/** `stellantis simulate`: starts the simulator and prints how to use it (the CLI helper calls this). */
import { startSimulator } from './start';
import type { RunningSimulator } from './types';

export interface SimulateArgs {
  port?: number;
  vehicles?: number;
  timeScale?: number;
  debug?: boolean;
}

export async function runSimulatorCommand(args: SimulateArgs, print: (line: string) => void): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: args.port ?? 7700,
    vehicles: args.vehicles ?? 2,
    timeScale: args.timeScale ?? 1,
    ...(args.debug ? { logger: (line: string) => print(`[sim] ${line}`) } : {}),
  });
  const a = sim.account;
  print(`Stellantis simulator (time scale ${args.timeScale ?? 1})`);
  print(`  B2C API:   ${sim.b2cBaseUrl}`);
  print(`  B2B API:   ${sim.b2bBaseUrl}/fleets/${a.fleetId}`);
  print(`  OAuth2:    ${sim.oauthUrl}  (login page: ${sim.oauthUrl}/authorize?response_type=code&client_id=${encodeURIComponent(a.clientId)}&redirect_uri=${encodeURIComponent(a.redirectUri)}&scope=openid&state=demo)`);
  print(`  Control:   POST ${sim.url}/_simulator/control/<knob>, state: GET ${sim.url}/_simulator/state`);
  print('Account (simulated, valid only for this run):');
  print(`  brand ${a.brand}, realm ${a.realm}`);
  print(`  clientId ${a.clientId}`);
  print(`  clientSecret ${a.clientSecret}`);
  print(`  redirectUri ${a.redirectUri}`);
  print(`  login ${a.username} / ${a.password}  (B2B Basic auth and the login page)`);
  print(`  fleetId ${a.fleetId}`);
  print('Vehicles:');
  for (const v of sim.vehicles) print(`  ${v.id}  ${v.vin}  ${v.brand} ${v.model} (${v.kind})`);
  print(`Simulator ready at ${sim.url}`);
  return sim;
}
