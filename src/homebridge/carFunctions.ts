/**
 * Which of a vehicle's configured functions the car can do: the one rule HAP (vehicleAccessory.ts)
 * and Matter (matter/matterVehicle.ts) both follow. vehicles[].features switches a function off;
 * the car's onboard capabilities remove one only when they say it cannot (false): a car that gives
 * no capabilities, or does not mention one, keeps it (as before capabilities were read).
 * Immobilization and the sensors have no remote capability in the spec: only features decide.
 */
import type { ResolvedVehicleConfig } from '../config/validate';
import { type RemoteCapability, supports, type VehicleCapabilities } from '../stellantis/capabilities';

export type CarFunctions = ResolvedVehicleConfig['features'] & {
  /** The navigation destinations offered (none when the car cannot navigate). */
  destinations: ResolvedVehicleConfig['destinations'];
};

export function carFunctions(vehicle: ResolvedVehicleConfig, caps: VehicleCapabilities | undefined): CarFunctions {
  const can = (capability: RemoteCapability): boolean => supports(caps, capability) !== false;
  const f = vehicle.features;
  const charging = f.charging && can('charging');
  return {
    ...f,
    doors: f.doors && can('door'),
    preconditioning: f.preconditioning && can('preconditioning'),
    charging,
    // The limit is kept through charging (preferences) or stops a charge: nothing without charging.
    chargeLimit: f.chargeLimit && charging,
    lights: f.lights && can('lights'),
    horn: f.horn && can('horn'),
    refresh: f.refresh && can('wakeup'),
    stolen: f.stolen && can('stolen'),
    destinations: can('navigation') ? vehicle.destinations : [],
  };
}
